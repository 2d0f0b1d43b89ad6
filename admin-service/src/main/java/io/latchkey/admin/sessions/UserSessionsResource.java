package io.latchkey.admin.sessions;

import io.latchkey.admin.auth.AdminScope;
import io.latchkey.admin.auth.RequiresScope;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.ResponseHeader;

/** GET /admin/users/{id}/sessions: the user's live SSO sessions and refresh families (SessionsReport). */
@Path("/admin/users/{id}/sessions")
@RequiresScope(AdminScope.SESSIONS)
public class UserSessionsResource {

    private final UserGrants grants;

    public UserSessionsResource(UserGrants grants) {
        this.grants = grants;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    public Uni<SessionsReport> list(@PathParam("id") String userId) {
        return grants.requireUser(userId).flatMap(x -> grants.report(userId));
    }
}
