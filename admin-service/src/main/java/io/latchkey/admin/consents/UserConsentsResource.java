package io.latchkey.admin.consents;

import io.latchkey.admin.auth.AdminScope;
import io.latchkey.admin.auth.RequiresScope;
import io.latchkey.admin.sessions.UserGrants;
import io.latchkey.model.directory.ConsentDirectory;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * GET /admin/users/{id}/consents: the clients the user let skip the consent page, with the scopes they agreed to.
 * Consents are grants of the user's, like sessions, so the {@code sessions} scope opens them.
 */
@Path("/admin/users/{id}/consents")
@RequiresScope(AdminScope.SESSIONS)
public class UserConsentsResource {

    /** One remembered consent as the API shows it. */
    public record Remembered(String client_id, List<String> scopes, String granted_at) {
    }

    private final UserGrants grants;
    private final ConsentDirectory consents;

    public UserConsentsResource(UserGrants grants, ConsentDirectory consents) {
        this.grants = grants;
        this.consents = consents;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> list(@PathParam("id") String userId) {
        return grants.requireUser(userId)
                .flatMap(x -> consents.findAll(userId))
                .map(all -> Response.ok(Map.of("user", userId, "consents", all.stream()
                                .map(c -> new Remembered(c.clientId(), c.scopes().stream().sorted().toList(),
                                        Instant.ofEpochSecond(c.grantedAt()).toString()))
                                .toList()))
                        .header("Cache-Control", "no-store").build());
    }
}
