package io.latchkey.token.grant;

import io.latchkey.model.audit.AuditEvent;
import io.latchkey.model.audit.AuditEventType;
import io.latchkey.model.audit.AuditTrail;
import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.domain.CodeGrant;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The token leg's audit events: a code or refresh token that came back and revoked its family, and a rotated refresh
 * token that came back within its client's reuse grace (nothing revoked, but the one trace a thief racing the owner
 * within the grace leaves). The actor is the client that presented it (a thief's request carries the victim
 * client's id, which is all a public client has);
 * subject and client_id are those of the grant, when the family still names it. {@code family} is the grant
 * family's id, the access tokens' family claim and half of every code and refresh token of it: without the other
 * half it opens nothing, and it ties the event to the tokens it revoked.
 */
@ApplicationScoped
public class GrantAudit {

    private final AuditTrail trail;

    public GrantAudit(AuditTrail trail) {
        this.trail = trail;
    }

    /** @param grant the grant of the refresh family the code started, or null when it started none */
    void codeReplayed(ClientRegistration presenter, String family, CodeGrant grant) {
        trail.emit(event(AuditEventType.CODE_REPLAY_DETECTED, presenter, family, grant));
    }

    /** @param grant the revoked family's grant, or null if it could not be read */
    void refreshReused(ClientRegistration presenter, String family, CodeGrant grant) {
        trail.emit(event(AuditEventType.REFRESH_REUSE_DETECTED, presenter, family, grant));
    }

    /** @param grant the family's grant; the family stays live */
    void refreshRepeatedInGrace(ClientRegistration presenter, String family, CodeGrant grant) {
        trail.emit(event(AuditEventType.REFRESH_REUSE_IN_GRACE, presenter, family, grant, false));
    }

    private static AuditEvent event(AuditEventType type, ClientRegistration presenter, String family, CodeGrant grant) {
        return event(type, presenter, family, grant, true);
    }

    private static AuditEvent event(AuditEventType type, ClientRegistration presenter, String family, CodeGrant grant,
            boolean revoked) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("family", family);
        details.put("family_revoked", revoked);
        return new AuditEvent(type, "client:" + presenter.clientId(), grant == null ? null : grant.subject(),
                grant == null ? presenter.clientId() : grant.clientId(), details);
    }
}
