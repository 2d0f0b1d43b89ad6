package io.latchkey.admin.sessions;

import io.latchkey.admin.auth.AdminCaller;
import io.latchkey.admin.auth.AdminScope;
import io.latchkey.admin.auth.RequiresScope;
import io.latchkey.model.audit.AuditEvent;
import io.latchkey.model.audit.AuditEventType;
import io.latchkey.model.audit.AuditTrail;
import io.latchkey.model.store.SubjectGrants;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/**
 * DELETE /admin/users/{id}/sessions: signs the user out everywhere, every SSO session and refresh family at once
 * (SubjectGrants.endAll, as disabling the user does), and answers how many were ended.
 */
@Path("/admin/users/{id}/sessions")
@RequiresScope(AdminScope.SESSIONS)
public class EndAllSessionsResource {

    private final UserGrants grants;
    private final SubjectGrants subjects;
    private final AuditTrail audit;
    private final AdminCaller caller;

    public EndAllSessionsResource(UserGrants grants, SubjectGrants subjects, AuditTrail audit, AdminCaller caller) {
        this.grants = grants;
        this.subjects = subjects;
        this.audit = audit;
        this.caller = caller;
    }

    @DELETE
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Integer>> endAll(@PathParam("id") String userId) {
        String actor = caller.actor();
        return grants.requireUser(userId)
                .flatMap(x -> subjects.endAll(userId))
                .map(ended -> {
                    audit.emit(AuditEvent.of(AuditEventType.SESSIONS_ENDED, actor, userId, null).with("ended", ended));
                    return Map.of("ended", ended);
                });
    }
}
