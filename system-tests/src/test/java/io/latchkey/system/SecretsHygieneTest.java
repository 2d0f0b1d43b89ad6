package io.latchkey.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testing.TestRedis;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * RFC 9700 §4.2 / §4.3 and the token leg's promise "nothing logs them": a full flow through the packaged
 * services, with Latchkey's own loggers at DEBUG (what an operator turns on to troubleshoot), happy paths and
 * the error paths where secrets tend to slip into messages, then every line both services logged is searched
 * for every secret the flow handled.
 */
class SecretsHygieneTest {

    @Test
    void fullFlowWithDebugLoggingThenNoCodeTokenVerifierPasswordOrSecretInAnyServiceLog() throws Exception {
        Map<String, String> secrets = new LinkedHashMap<>();
        List<ServiceProcess> services;
        try (Stack stack = Stack.start(2, Map.of("QUARKUS_LOG_CATEGORY__IO_LATCHKEY__LEVEL", "DEBUG"))) {
            services = new ArrayList<>(stack.tokens);
            services.add(stack.authorize);
            secrets.put("password", Stack.PASSWORD);
            secrets.put("client secret", Stack.BACKEND_SECRET);

            // A wrong password (also a secret: often a typo of the right one).
            String wrongPassword = "wonderland-typo-" + TestRedis.freePort();
            secrets.put("wrong password", wrongPassword);
            String redirect = "http://127.0.0.1:" + TestRedis.freePort() + "/callback";
            OidcClient client = new OidcClient(stack.issuer, Stack.NATIVE_CLIENT, redirect);
            FormDriver failing = new FormDriver();
            assertThat(failing.loginOnce(client.newAttempt().request().toURI(), Stack.USERNAME, wrongPassword).statusCode())
                    .isEqualTo(401);

            // Login, consent, code; the browser's cookies are secrets too.
            OidcClient.Attempt attempt = client.newAttempt();
            FormDriver browser = new FormDriver();
            URI callback = browser.authorize(attempt.request().toURI(), redirect, Stack.USERNAME, Stack.PASSWORD);
            browser.cookies().forEach((name, value) -> secrets.put("cookie " + name, value));
            Grants.Code code = new Grants.Code(client.parseCallback(callback).getAuthorizationCode().getValue(),
                    attempt.verifier().getValue(), redirect, attempt.state().getValue(), callback);
            putOpaque(secrets, "code", code.code());
            secrets.put("code_verifier", code.verifier());

            // A wrong verifier first would use the code up, so: exchange, then a replay (error path).
            Wire.Answer tokens = Grants.exchange(stack, 0, code);
            putToken(secrets, "access token", tokens.string("access_token"));
            putToken(secrets, "id token", tokens.string("id_token"));
            putOpaque(secrets, "refresh token", tokens.string("refresh_token"));

            Wire.Answer refreshed = Wire.postForm(stack.tokenUrl(1) + "/token", Grants.refreshForm(tokens.string("refresh_token")));
            assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
            putToken(secrets, "refreshed access token", refreshed.string("access_token"));
            putToken(secrets, "refreshed id token", refreshed.string("id_token"));
            putOpaque(secrets, "rotated refresh token", refreshed.string("refresh_token"));

            assertThat(Grants.userinfo(stack, 0, refreshed.string("access_token")).status()).isEqualTo(200);
            assertThat(Grants.userinfo(stack, 1, refreshed.string("access_token") + "x").status()).isEqualTo(401);

            Wire.Answer revoked = Wire.postForm(stack.tokenUrl(0) + "/revoke",
                    Map.of("client_id", Stack.NATIVE_CLIENT, "token", refreshed.string("refresh_token")));
            assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
            // Error paths: the replayed code and the revoked refresh token.
            assertThat(Wire.postForm(stack.tokenUrl(1) + "/token", Grants.exchangeForm(code)).error()).isEqualTo("invalid_grant");
            assertThat(Wire.postForm(stack.tokenUrl(0) + "/token", Grants.refreshForm(refreshed.string("refresh_token"))).error())
                    .isEqualTo("invalid_grant");

            Wire.Answer service = Wire.postForm(stack.tokenUrl(0) + "/token", Map.of("grant_type", "client_credentials"),
                    "Authorization", Wire.basic(Stack.BACKEND_CLIENT, Stack.BACKEND_SECRET));
            assertThat(service.status()).as(service.toString()).isEqualTo(200);
            putToken(secrets, "client_credentials access token", service.string("access_token"));
            Wire.Answer introspection = Wire.postForm(stack.tokenUrl(1) + "/introspect", Map.of("token", service.string("access_token")),
                    "Authorization", Wire.basic(Stack.BACKEND_CLIENT, Stack.BACKEND_SECRET));
            assertThat(introspection.json()).containsEntry("active", true);
            String wrongSecret = "not-the-secret-" + TestRedis.freePort();
            secrets.put("wrong client secret", wrongSecret);
            assertThat(Wire.postForm(stack.tokenUrl(1) + "/token", Map.of("grant_type", "client_credentials"),
                    "Authorization", Wire.basic(Stack.BACKEND_CLIENT, wrongSecret)).status()).isEqualTo(401);
        }
        // Closed: every process has exited and flushed its log.

        for (ServiceProcess service : services) {
            String log = Files.readString(service.log);
            assertThat(log).as("%s logged its start, so this is the right file", service.name).contains("started in");
            System.out.printf("%s: %d lines searched for %d secrets%n", service.name, log.lines().count(), secrets.size());
            secrets.forEach((what, value) -> assertThat(log).as("%s must not appear in %s", what, service.log)
                    .doesNotContain(value));
        }
    }

    /** A code or refresh token ({@code <family>.<secret>}), and its secret half on its own. */
    private static void putOpaque(Map<String, String> secrets, String what, String token) {
        assertThat(token).as(what).contains(".");
        secrets.put(what, token);
        secrets.put(what + " secret half", token.substring(token.indexOf('.') + 1));
    }

    /** A JWT, and each of its signature and payload on their own (a log may print either). */
    private static void putToken(Map<String, String> secrets, String what, String jwt) {
        assertThat(jwt).as(what).isNotBlank();
        secrets.put(what, jwt);
        String[] parts = jwt.split("\\.");
        secrets.put(what + " payload", parts[1]);
        secrets.put(what + " signature", parts[2]);
    }
}
