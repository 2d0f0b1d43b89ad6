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
import jakarta.ws.rs.core.Response;

/**
 * DELETE /admin/users/{id}/families/{handle}: ends one refresh family. Its refresh token fails at its next use and
 * the access tokens issued from it are revoked, as when the user is disabled (SubjectGrants.endFamily).
 */
@Path("/admin/users/{id}/families/{handle}")
@RequiresScope(AdminScope.SESSIONS)
public class EndFamilyResource {

    private final UserGrants grants;
    private final SubjectGrants subjects;
    private final AuditTrail audit;
    private final AdminCaller caller;

    public EndFamilyResource(UserGrants grants, SubjectGrants subjects, AuditTrail audit, AdminCaller caller) {
        this.grants = grants;
        this.subjects = subjects;
        this.audit = audit;
        this.caller = caller;
    }

    @DELETE
    public Uni<Response> end(@PathParam("id") String userId, @PathParam("handle") String handle) {
        return Uni.createFrom().deferred(() -> {
            GrantHandles.requireWellFormed(handle);
            String actor = caller.actor();
            return grants.requireUser(userId)
                    .flatMap(x -> grants.family(userId, handle))
                    .flatMap(family -> subjects.endFamily(userId, family))
                    .map(x -> {
                        audit.emit(AuditEvent.of(AuditEventType.SESSION_ENDED, actor, userId, null)
                                .with("kind", "refresh-family").with("handle", handle));
                        return Response.noContent().build();
                    });
        });
    }
}
