package io.latchkey.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.TokenResponse;
import io.latchkey.testing.TestRedis;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ./latchkey admin} as an operator types it: the single-file CLI run by the JDK's source launcher, against a
 * whole stack, with the demo realm's admin client. Each command is checked by what it changed, not only by what it
 * printed: the user it added signs in, the consent it withdrew takes the app's refresh token, the user it disabled
 * has no session left, the login options it reset are in the trail, the client it registered is there, and the events it lists are the ones the trail holds.
 */
class AdminCliTest {

    private static Stack stack;

    @BeforeAll
    static void start() {
        stack = Stack.start(1);
        stack.admin();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everydayTasksInOneLineEach() throws Exception {
        Run added = cli("Margaret-Hamilton-1969!\n", "users", "add", "margaret", "--email", "margaret@example.com", "--password-stdin");
        assertThat(added.status()).as(added.output()).isZero();
        assertThat(added.output()).contains("Created user margaret").doesNotContain("Margaret-Hamilton-1969!");

        Run listed = cli("", "users", "list", "--filter", "userName eq \"margaret\"");
        assertThat(listed.status()).as(listed.output()).isZero();
        assertThat(listed.output()).contains("margaret", "margaret@example.com", "1 user");

        // The user the CLI made signs in with the password it read from stdin.
        String redirect = "http://127.0.0.1:" + TestRedis.freePort() + "/callback";
        OidcClient client = new OidcClient(stack.issuer, Stack.NATIVE_CLIENT, redirect);
        OidcClient.Attempt attempt = client.newAttempt();
        URI callback = new FormDriver().authorize(attempt.request().toURI(), redirect, "margaret", "Margaret-Hamilton-1969!");
        TokenResponse tokens = client.exchange(client.provider.getTokenEndpointURI(),
                client.parseCallback(callback).getAuthorizationCode(), attempt.verifier());
        assertThat(tokens.indicatesSuccess()).as("%s", tokens).isTrue();
        String refreshToken = tokens.toSuccessResponse().getTokens().getRefreshToken().getValue();

        Run sessions = cli("", "sessions", "margaret");
        assertThat(sessions.status()).as(sessions.output()).isZero();
        assertThat(sessions.output()).contains("SSO sessions of margaret (1)", "Refresh families of margaret (1)");

        Run consents = cli("", "consents", "margaret");
        assertThat(consents.status()).as(consents.output()).isZero();
        assertThat(consents.output()).contains("Remembered consents of margaret (1)", Stack.NATIVE_CLIENT);
        Run withdrawn = cli("", "consents", "margaret", "--withdraw", Stack.NATIVE_CLIENT);
        assertThat(withdrawn.status()).as(withdrawn.output()).isZero();
        Wire.Answer refresh = Wire.postForm(stack.tokenUrl(0) + "/token", Grants.refreshForm(refreshToken));
        assertThat(refresh.error()).as("withdrawing the consent ends the app's refresh token: %s", refresh).isEqualTo("invalid_grant");

        Run options = cli("", "users", "login-options", "margaret");
        assertThat(options.status()).as(options.output()).isZero();
        assertThat(options.output()).contains("TOTP of margaret: not enrolled", "Passkeys of margaret (0)");
        Run reset = cli("", "users", "reset-login-options", "margaret");
        assertThat(reset.status()).as(reset.output()).isZero();
        assertThat(reset.output()).contains("Reset the login options of margaret");
        Run resetEvents = cli("", "events", "--type", "user.login-options-reset", "--limit", "5");
        assertThat(resetEvents.output()).as("the reset is in the trail with the CLI's client as actor")
                .contains("user.login-options-reset", "client:" + Stack.ADMIN_CLIENT);

        Run disabled = cli("", "users", "disable", "margaret");
        assertThat(disabled.status()).as(disabled.output()).isZero();
        Run afterwards = cli("", "sessions", "margaret");
        assertThat(afterwards.output()).as("disabling ends the SSO session").contains("SSO sessions of margaret (0)");

        Run registered = cli("", "clients", "add", "--name", "CLI app", "--redirect-uri", "https://app.example/callback", "--public");
        assertThat(registered.status()).as(registered.output()).isZero();
        assertThat(registered.output()).contains("Registered CLI app");

        Run events = cli("", "events", "--type", "user.disabled", "--limit", "5");
        assertThat(events.status()).as(events.output()).isZero();
        assertThat(events.output()).contains("user.disabled", "client:" + Stack.ADMIN_CLIENT);
    }

    @Test
    void aRefusalIsTheApisOwnWordsAndAFailingStatus() throws Exception {
        Run unknown = cli("", "users", "disable", "nobody-by-this-name");
        assertThat(unknown.status()).isNotZero();
        assertThat(unknown.output()).contains("nobody-by-this-name");

        Run badFilter = cli("", "users", "list", "--filter", "userName eq");
        assertThat(badFilter.status()).isNotZero();
        assertThat(badFilter.output()).containsIgnoringCase("filter");

        Run wrongSecret = cli(Map.of("LATCHKEY_ADMIN_CLIENT_SECRET", "not-the-secret"), "", "users", "list");
        assertThat(wrongSecret.status()).isNotZero();
        assertThat(wrongSecret.output()).contains("invalid_client");
    }

    private record Run(int status, String output) {
    }

    private static Run cli(String stdin, String... args) throws IOException, InterruptedException {
        return cli(Map.of(), stdin, args);
    }

    private static Run cli(Map<String, String> env, String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                Stack.root().resolve("admin-service/cli/LatchkeyAdmin.java").toString()));
        command.addAll(List.of(args));
        Path input = Files.createTempFile("latchkey-cli-stdin", ".txt");
        Files.writeString(input, stdin);
        Path output = Files.createTempFile("latchkey-cli", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(new File(input.toString())).redirectOutput(output.toFile());
        builder.environment().putAll(Map.of("LATCHKEY_ADMIN_URL", stack.adminUrl(),
                "LATCHKEY_TOKEN_SERVICE_URL", stack.tokenUrl(0),
                "LATCHKEY_ADMIN_CLIENT_ID", Stack.ADMIN_CLIENT,
                "LATCHKEY_ADMIN_CLIENT_SECRET", Stack.ADMIN_SECRET));
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the CLI did not finish: " + String.join(" ", args));
        }
        return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }
}
