package io.latchkey.model.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MDC fields and the plain-text message of an event's log line. */
class AuditLineTest {

    @Test
    void fieldsWhenValuesAbsentThenLeftOutAndListsAsJson() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("address", "192.0.2.7");
        details.put("missing", null);
        details.put("scopes", List.of("openid", "profile"));
        AuditEvent event = new AuditEvent(AuditEventType.CONSENT_GIVEN, "user:alice-sub", "alice-sub", null, details);

        assertThat(AuditTrail.fields(event)).containsExactly(
                Map.entry("audit.type", "consent.given"),
                Map.entry("audit.actor", "user:alice-sub"),
                Map.entry("audit.subject", "alice-sub"),
                Map.entry("audit.details.address", "192.0.2.7"),
                Map.entry("audit.details.scopes", "[\"openid\",\"profile\"]"));
    }

    @Test
    void textWhenValueCarriesALineBreakThenNoForgedLine() {
        AuditEvent event = AuditEvent.of(AuditEventType.LOGIN_FAILED, null, null, "spa")
                .with("username", "mallory\nlogin.succeeded actor=user:alice-sub");

        assertThat(AuditTrail.text(event))
                .isEqualTo("login.failed client_id=spa details.username=mallory?login.succeeded actor=user:alice-sub")
                .doesNotContain("\n");
    }
}
