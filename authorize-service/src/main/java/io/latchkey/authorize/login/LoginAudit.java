package io.latchkey.authorize.login;

import io.latchkey.model.audit.AuditEvent;
import io.latchkey.model.audit.AuditEventType;
import io.latchkey.model.audit.AuditTrail;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A login attempt's audit event. A failure names neither a user nor why it failed: an unknown name, a wrong
 * password and a disabled account are one event, as they are one answer to the browser. The name typed is kept in
 * the form logins compare (so look-alike spellings group together) and the password never.
 */
@ApplicationScoped
public class LoginAudit {

    private final AuditTrail trail;

    public LoginAudit(AuditTrail trail) {
        this.trail = trail;
    }

    void record(LoginService.Result result, String account, String clientId, String clientAddress) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("address", clientAddress);
        if (result instanceof LoginService.Result.Success success) {
            String subject = success.user().id();
            trail.emit(new AuditEvent(AuditEventType.LOGIN_SUCCEEDED, "user:" + subject, subject, clientId, details));
            return;
        }
        if (!account.isEmpty()) {
            details.put("username", account);
        }
        if (result instanceof LoginService.Result.Throttled throttled) {
            details.put("budget", throttled.budget());
            details.put("retry_after_seconds", seconds(throttled.retryAfter()));
            trail.emit(new AuditEvent(AuditEventType.LOGIN_THROTTLED, null, null, clientId, details));
            return;
        }
        var failure = (LoginService.Result.Failure) result;
        if (!failure.retryAfter().isZero()) {
            // This failure used up the free attempts: the next one waits.
            details.put("retry_after_seconds", seconds(failure.retryAfter()));
        }
        trail.emit(new AuditEvent(AuditEventType.LOGIN_FAILED, null, null, clientId, details));
    }

    private static long seconds(java.time.Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }
}
