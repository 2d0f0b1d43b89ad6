package io.latchkey.model.audit;

import java.util.Map;
import java.util.Objects;

/**
 * One security event.
 *
 * @param actor    who did it: {@code client:<id>} or {@code user:<sub>} for an admin change, the user for a login,
 *                 null when nobody is known (a failed login for an unknown name)
 * @param subject  the user it concerns, if any
 * @param clientId the client it concerns, if any
 * @param details  what else a reader needs (never a secret, a password or a token); a null value is left out, so
 *                 that building an event never fails the request it describes
 */
public record AuditEvent(AuditEventType type, String actor, String subject, String clientId, Map<String, Object> details) {

    public AuditEvent {
        Objects.requireNonNull(type, "type");
        var present = new java.util.LinkedHashMap<String, Object>();
        if (details != null) {
            details.forEach((name, value) -> {
                if (name != null && value != null) {
                    present.put(name, value);
                }
            });
        }
        // In the order given, so that log lines read the same way each time.
        details = java.util.Collections.unmodifiableMap(present);
    }

    public static AuditEvent of(AuditEventType type, String actor, String subject, String clientId) {
        return new AuditEvent(type, actor, subject, clientId, Map.of());
    }

    public AuditEvent with(String key, Object value) {
        var more = new java.util.LinkedHashMap<>(details);
        more.put(key, value);
        return new AuditEvent(type, actor, subject, clientId, more);
    }
}
