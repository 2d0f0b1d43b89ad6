package io.latchkey.admin.consents;

import io.latchkey.admin.auth.AdminCaller;
import io.latchkey.admin.auth.AdminScope;
import io.latchkey.admin.auth.RequiresScope;
import io.latchkey.admin.sessions.UserGrants;
import io.latchkey.model.audit.AuditEvent;
import io.latchkey.model.audit.AuditEventType;
import io.latchkey.model.audit.AuditTrail;
import io.latchkey.model.directory.ConsentDirectory;
import io.latchkey.model.directory.DirectoryCalls;
import io.latchkey.model.store.SubjectGrants;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * DELETE /admin/users/{id}/consents/{client_id}: withdraws a remembered consent. The client shows the consent page
 * again at its next request, and the refresh families it holds for the user end at once, so withdrawing access
 * takes it away rather than only asking again later. The consent and its audit row go in one transaction.
 */
@Path("/admin/users/{id}/consents/{clientId}")
@RequiresScope(AdminScope.SESSIONS)
public class WithdrawConsentResource {

    private final UserGrants grants;
    private final ConsentDirectory consents;
    private final SubjectGrants subjects;
    private final AuditTrail audit;
    private final AdminCaller caller;
    private final Pool pool;
    private final DirectoryCalls calls;

    public WithdrawConsentResource(UserGrants grants, ConsentDirectory consents, SubjectGrants subjects, AuditTrail audit,
            AdminCaller caller, Pool pool, DirectoryCalls calls) {
        this.grants = grants;
        this.consents = consents;
        this.subjects = subjects;
        this.audit = audit;
        this.caller = caller;
        this.pool = pool;
        this.calls = calls;
    }

    @DELETE
    public Uni<Response> withdraw(@PathParam("id") String userId, @PathParam("clientId") String clientId) {
        AuditEvent event = AuditEvent.of(AuditEventType.CONSENT_WITHDRAWN, caller.actor(), userId, clientId);
        return grants.requireUser(userId)
                .flatMap(x -> calls.guard(pool.withTransaction(tx -> consents.delete(tx, userId, clientId)
                        .flatMap(deleted -> deleted ? audit.record(tx, event).replaceWith(true) : Uni.createFrom().item(false)))))
                .flatMap(deleted -> {
                    if (!deleted) {
                        throw new NotFoundException("The user has no remembered consent for " + clientId + ".");
                    }
                    audit.log(event);
                    return grants.familiesOf(userId, clientId);
                })
                .flatMap(families -> endAll(userId, families))
                .map(x -> Response.noContent().build());
    }

    private Uni<Void> endAll(String userId, List<String> familiesOfClient) {
        return familiesOfClient.isEmpty() ? Uni.createFrom().voidItem()
                : Uni.join().all(familiesOfClient.stream().map(f -> subjects.endFamily(userId, f)).toList()).andFailFast().replaceWithVoid();
    }
}
