package io.latchkey.authorize;

import static io.latchkey.authorize.TestBrowser.validRequest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * With JSON logs on, as the production overlay has them, an audit event's line is one JSON object whose event
 * fields are fields of their own (under {@code mdc}), which a log shipper indexes: not an escaped string in
 * {@code message}. The line is read from a JSON log file written by the same formatter as the JSON console.
 */
@QuarkusTest
@TestProfile(AuditLogLineTest.JsonLogs.class)
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class AuditLogLineTest {

    static final Path LOG = Path.of("target", "audit-log-line-test.json");

    /** JSON console and a JSON log file that the test reads. */
    public static class JsonLogs implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.log.console.json.enabled", "true",
                    "quarkus.log.file.enabled", "true",
                    "quarkus.log.file.path", LOG.toString(),
                    "quarkus.log.file.json.enabled", "true");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void failedLoginThenOneJsonLineWithTheEventAsIndexableFieldsAndAForgedFieldInert() throws Exception {
        String marker = UUID.randomUUID().toString();
        // A name that tries to break out of its JSON string into fields of its own.
        String typed = "mallory-" + marker + "\",\"audit.type\":\"login.succeeded";
        String password = "password-" + marker;
        TestBrowser browser = new TestBrowser();
        browser.login(browser.authorize(validRequest()), typed, password).then().statusCode(401);

        JsonNode line = awaitLine(marker);
        assertThat(line.get("loggerName").asText()).isEqualTo("latchkey.audit");
        JsonNode mdc = line.get("mdc");
        assertThat(mdc.get("audit.type").asText()).isEqualTo("login.failed");
        assertThat(mdc.get("audit.client_id").asText()).isEqualTo("spa");
        assertThat(mdc.get("audit.details.username").asText()).isEqualTo(typed);
        assertThat(mdc.get("audit.details.address").asText()).isNotBlank();
        assertThat(mdc.has("audit.actor")).isFalse();
        assertThat(mdc.has("audit.subject")).isFalse();
        assertThat(line.get("message").asText()).startsWith("login.failed ");
        assertThat(line.toString()).doesNotContain(password);
    }

    /** The JSON line of the audit event that mentions the marker; every line of the file must be JSON. */
    private static JsonNode awaitLine(String marker) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            List<String> lines = Files.exists(LOG) ? Files.readAllLines(LOG) : List.of();
            for (String text : lines) {
                if (text.contains(marker) && text.contains("latchkey.audit")) {
                    return JSON.readTree(text);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no audit line for " + marker + " in " + LOG);
            }
            Thread.sleep(50);
        }
    }
}
