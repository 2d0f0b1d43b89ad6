package io.latchkey.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.system.OtlpReceiver.Received;
import io.latchkey.testing.TestRedis;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Traces as an operator turns them on (docs/kubernetes.md, "Traces"): the packaged services with
 * QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT pointing at a real OTLP/HTTP receiver, JSON logs, and a client that sends one
 * W3C traceparent with every request of a sign-in. And as they ship: no endpoint, nothing sent anywhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TracingTest {

    private static final String AUTHORIZE = "latchkey-authorize-service";
    private static final String TOKEN = "latchkey-token-service";
    private static final Duration EXPORT_WAIT = Duration.ofSeconds(30);

    private OtlpReceiver receiver;
    private Stack stack;

    @BeforeAll
    void start() throws IOException {
        receiver = new OtlpReceiver();
        stack = Stack.start(1, Map.of("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                // Batches every 200 ms instead of 5 s, so the test waits less.
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms",
                "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true",
                "QUARKUS_LOG_CATEGORY__IO_LATCHKEY__LEVEL", "DEBUG",
                "QUARKUS_LOG_CATEGORY__IO_LATCHKEY_TOKEN_WEB__LEVEL", "DEBUG"));
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void signInWithOneTraceparentThenBothServicesAndTheirRedisCallsReportUnderThatTraceAndNoSecretInAnySpan() throws Exception {
        String traceId = randomHex(16);
        String clientSpan = randomHex(8);
        String traceparent = "00-" + traceId + "-" + clientSpan + "-01";
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("password", Stack.PASSWORD);

        String redirect = "http://127.0.0.1:" + TestRedis.freePort() + "/callback";
        OidcClient client = new OidcClient(stack.issuer, Stack.NATIVE_CLIENT, redirect);
        OidcClient.Attempt attempt = client.newAttempt();
        FormDriver browser = new FormDriver(Map.of("traceparent", traceparent, "tracestate", "app=checkout"));
        URI callback = browser.authorize(attempt.request().toURI(), redirect, Stack.USERNAME, Stack.PASSWORD);
        browser.cookies().forEach((name, value) -> secrets.put("cookie " + name, value));
        Grants.Code code = new Grants.Code(client.parseCallback(callback).getAuthorizationCode().getValue(),
                attempt.verifier().getValue(), redirect, attempt.state().getValue(), callback);
        secrets.put("code", code.code());
        secrets.put("code secret half", code.code().substring(code.code().indexOf('.') + 1));
        secrets.put("code_verifier", code.verifier());
        secrets.put("nonce", attempt.nonce().getValue());
        secrets.put("state", attempt.state().getValue());

        Wire.Answer tokens = Wire.postForm(stack.tokenUrl(0) + "/token", Grants.exchangeForm(code), "traceparent", traceparent);
        assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
        for (String field : List.of("access_token", "id_token", "refresh_token")) {
            secrets.put(field, tokens.string(field));
        }
        secrets.put("access token signature", tokens.string("access_token").split("\\.")[2]);
        secrets.put("refresh token secret half", tokens.string("refresh_token").substring(tokens.string("refresh_token").indexOf('.') + 1));

        // The code's redemption script in token-service, and the sign-in's server spans in authorize-service (the consent
        // page only when no earlier test of this run consented already: consents outlive a stack in the shared directory).
        receiver.await(s -> s.traceId().equals(traceId) && s.service().equals(TOKEN) && s.name().equals("redeem-code"), 1, EXPORT_WAIT);
        // The server span of /token ends after its answer is sent, later than the script's span: it may come in a later batch.
        receiver.await(s -> s.traceId().equals(traceId) && s.service().equals(TOKEN) && s.kind() == SpanKind.SPAN_KIND_SERVER
                && "/token".equals(s.attributes().get("url.path")), 1, EXPORT_WAIT);
        receiver.await(s -> s.traceId().equals(traceId) && s.service().equals(AUTHORIZE) && s.kind() == SpanKind.SPAN_KIND_SERVER
                && "/login".equals(s.attributes().get("url.path")), 1, EXPORT_WAIT);
        List<Received> trace = receiver.spans().stream().filter(s -> s.traceId().equals(traceId)).toList();
        System.out.println(trace.stream().map(s -> s.service() + " " + s.kind() + " " + s.name() + " " + s.attributes())
                .collect(Collectors.joining("\n")));

        assertThat(OtlpReceiver.servicesOf(trace)).containsExactly(AUTHORIZE, TOKEN);
        // Every request of the sign-in continued the client's trace: each server span's parent is the client's span.
        List<Received> servers = trace.stream().filter(s -> s.kind() == SpanKind.SPAN_KIND_SERVER).toList();
        assertThat(servers).extracting(s -> s.attributes().get("url.path"))
                .contains("/authorize", "/login", "/token");
        assertThat(servers).allSatisfy(s -> assertThat(s.parentSpanId()).isEqualTo(clientSpan));
        // Redis calls of both services, each a client span inside a span of the same trace, named after command or script.
        List<Received> redis = trace.stream().filter(s -> "redis".equals(s.attributes().get("db.system.name"))).toList();
        assertThat(OtlpReceiver.servicesOf(redis)).containsExactly(AUTHORIZE, TOKEN);
        Set<String> spanIds = trace.stream().map(Received::spanId).collect(Collectors.toSet());
        assertThat(redis).allSatisfy(s -> {
            assertThat(s.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
            assertThat(spanIds).contains(s.parentSpanId());
        });
        assertThat(redis).filteredOn(s -> s.service().equals(TOKEN)).extracting(Received::name).contains("redeem-code");
        assertThat(redis).filteredOn(s -> s.name().equals("redeem-code"))
                .allSatisfy(s -> assertThat(s.attributes()).containsEntry("db.operation.name", "EVALSHA")
                        .containsEntry("db.stored_procedure.name", "redeem-code"));
        // The query of /authorize keeps its parameter names only.
        assertThat(servers).filteredOn(s -> "/authorize".equals(s.attributes().get("url.path")))
                .allSatisfy(s -> assertThat(s.attributes().get("url.query")).contains("code_challenge").doesNotContain("="));

        // Nothing any span of the run carries (names, attributes, events) holds a secret of the flow.
        List<Received> all = receiver.spans();
        assertThat(all).hasSizeGreaterThan(trace.size() - 1);
        for (Received span : all) {
            String text = span.allText();
            secrets.forEach((what, value) -> assertThat(text).as("%s in span %s of %s", what, span.name(), span.service())
                    .doesNotContain(value));
        }
    }

    @Test
    void logLineWrittenInsideATracedRequestThenCarriesTheTraceIdInJson() throws Exception {
        String traceId = randomHex(16);
        String traceparent = "00-" + traceId + "-" + randomHex(8) + "-01";
        // An unknown client: token-service logs the refusal inside the request, at DEBUG here.
        Wire.Answer refused = Wire.postForm(stack.tokenUrl(0) + "/token",
                Map.of("grant_type", "client_credentials", "client_id", "no-such-client"), "traceparent", traceparent);
        assertThat(refused.status()).as(refused.toString()).isBetween(400, 401);

        ServiceProcess token = stack.tokens.get(0);
        String line = awaitLine(token, traceId);
        assertThat(line).startsWith("{");
        assertThat(line).contains("\"traceId\":\"" + traceId + "\"").containsPattern("\"spanId\":\"[0-9a-f]{16}\"");
    }

    @Test
    void malformedTraceparentThenIgnoredNewTraceStartedAndRequestServed() {
        String malformed = "00-not-a-trace-id-zz";
        Wire.Answer jwks = Wire.get(stack.tokenUrl(0) + "/jwks", "traceparent", malformed, "tracestate", "x=y");
        assertThat(jwks.status()).isEqualTo(200);
        Received span = receiver.await(s -> s.service().equals(TOKEN) && s.kind() == SpanKind.SPAN_KIND_SERVER
                && "/jwks".equals(s.attributes().get("url.path")), 1, EXPORT_WAIT).get(0);
        assertThat(span.traceId()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
        assertThat(span.parentSpanId()).isEmpty();
    }

    /**
     * As shipped, with no endpoint: a sign-in with a traceparent sends nothing to the OTLP ports Quarkus would
     * otherwise export to (localhost:4317 and 4318), and the logs carry no trace id.
     */
    @Test
    void noEndpointConfiguredThenNothingExportedOrAttemptedAndNoTraceIdsInLogs() throws Exception {
        List<ServerSocket> listeners = new ArrayList<>();
        AtomicInteger connections = new AtomicInteger();
        for (int port : new int[] {4317, 4318}) {
            try {
                ServerSocket socket = new ServerSocket();
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                listeners.add(socket);
                Thread watcher = new Thread(() -> accept(socket, connections), "otlp-port-" + port);
                watcher.setDaemon(true);
                watcher.start();
            } catch (IOException taken) {
                System.out.println("port " + port + " is taken; not watched");
            }
        }
        String traceId = randomHex(16);
        String traceparent = "00-" + traceId + "-" + randomHex(8) + "-01";
        try (Stack untraced = Stack.start(1, Map.of("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms",
                "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true", "QUARKUS_LOG_CATEGORY__IO_LATCHKEY__LEVEL", "DEBUG"))) {
            String redirect = "http://127.0.0.1:" + TestRedis.freePort() + "/callback";
            OidcClient client = new OidcClient(untraced.issuer, Stack.NATIVE_CLIENT, redirect);
            OidcClient.Attempt attempt = client.newAttempt();
            URI callback = new FormDriver(Map.of("traceparent", traceparent))
                    .authorize(attempt.request().toURI(), redirect, Stack.USERNAME, Stack.PASSWORD);
            Grants.Code code = new Grants.Code(client.parseCallback(callback).getAuthorizationCode().getValue(),
                    attempt.verifier().getValue(), redirect, attempt.state().getValue(), callback);
            assertThat(Wire.postForm(untraced.tokenUrl(0) + "/token", Grants.exchangeForm(code), "traceparent", traceparent)
                    .status()).isEqualTo(200);
            Thread.sleep(2000); // ten export intervals
            for (ServiceProcess service : List.of(untraced.authorize, untraced.tokens.get(0))) {
                String log = Files.readString(service.log);
                assertThat(log).as(service.name).contains("started in").doesNotContain(traceId).doesNotContain("\"traceId\"")
                        .doesNotContainIgnoringCase("otlp").doesNotContain("4317");
            }
        } finally {
            for (ServerSocket socket : listeners) {
                socket.close();
            }
        }
        assertThat(connections.get()).as("connections to the default OTLP ports").isZero();
        assertThat(receiver.spans()).noneMatch(s -> s.traceId().equals(traceId));
    }

    private static void accept(ServerSocket socket, AtomicInteger connections) {
        while (!socket.isClosed()) {
            try (Socket accepted = socket.accept()) {
                connections.incrementAndGet();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static String awaitLine(ServiceProcess service, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            for (String line : Files.readAllLines(service.log)) {
                if (line.contains(text)) {
                    return line;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no line of " + service.log + " mentions " + text);
            }
            Thread.sleep(100);
        }
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
