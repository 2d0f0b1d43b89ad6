package io.latchkey.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testing.TestRedis;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Limits on what one request may carry, and Redis growth bounded by TTLs: a storm of abandoned authorization
 * requests leaves only keys that expire (here after a 10 s request lifetime, long enough for the storm to
 * finish on a loaded machine), and then nothing.
 */
class LimitsAndKeyGrowthTest {

    private static final int STORM = 300;

    private static Stack stack;

    @BeforeAll
    static void start() {
        // A generous Redis deadline: on a fully loaded machine the start-up realm import answered past the 2 s default.
        stack = Stack.start(1, Map.of("LATCHKEY_LIFETIMES_REQUEST", "10s", "LATCHKEY_REDIS_TIMEOUT", "15s"));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static java.util.Set<String> pendingRequests() {
        String reply = TestRedis.get().command("KEYS", "lk:{req:*");
        return reply == null || reply.isEmpty() ? java.util.Set.of()
                : Arrays.stream(reply.split("\n")).filter(k -> !k.isEmpty()).collect(Collectors.toSet());
    }

    @Test
    void authorizeStormWhenAbandonedThenEveryPendingRequestExpiresWithItsLifetime() throws Exception {
        // Earlier classes' requests from 127.0.0.1 hold slots for their own, longer lifetime.
        for (String key : TestRedis.get().command("KEYS", "lk:{pending:*").split("\n")) {
            if (!key.isEmpty()) {
                TestRedis.get().command("DEL", key);
            }
        }
        java.util.Set<String> before = pendingRequests();
        String query = Wire.form(FuzzCase.map("response_type", "code", "client_id", Stack.NATIVE_CLIENT,
                "redirect_uri", "http://127.0.0.1:" + TestRedis.freePort() + "/callback", "scope", "openid",
                "state", "s", "nonce", "n", "code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
                "code_challenge_method", "S256"));
        for (int i = 0; i < STORM; i++) {
            assertThat(Wire.get(stack.issuer + "/authorize?" + query).status()).isEqualTo(200);
        }
        java.util.Set<String> storm = new java.util.HashSet<>(pendingRequests());
        storm.removeAll(before);
        long allKeys = Long.parseLong(TestRedis.get().command("DBSIZE"));
        System.out.printf("authorize storm: %d abandoned requests, %d pending keys stored (%d keys in Redis)%n", STORM, storm.size(), allKeys);
        assertThat(storm).as("one pending request per abandoned authorization, none more").hasSize(STORM);
        for (String key : storm) {
            assertThat(Long.parseLong(TestRedis.get().command("PTTL", key))).as(key).isBetween(1L, 10_000L);
        }
        // Poll until they are gone, within their lifetime and a margin (EXISTS expires a key that is due), instead
        // of sleeping a fixed time; every TTL was at most 10 s above.
        long deadline = System.nanoTime() + Duration.ofMillis(10_500).toNanos();
        while (!storm.isEmpty() && System.nanoTime() < deadline) {
            storm.removeIf(key -> "0".equals(TestRedis.get().command("EXISTS", key)));
            if (!storm.isEmpty()) {
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            }
        }
        storm.removeIf(key -> "0".equals(TestRedis.get().command("EXISTS", key)));
        assertThat(storm).as("every pending request expired with its 10 s lifetime").isEmpty();
    }

    /** On a new connection: the server closes one after refusing an oversized request, which a pool would reuse. */
    private static int fresh(HttpRequest.Builder request) {
        try {
            return java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build()
                    .send(request.timeout(Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            throw new AssertionError(request.build().uri() + ": no answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void oversizedInputWhenSentToEachEndpointThenA4xxNeverA5xx() {
        String hugeHeader = "x".repeat(17 * 1024);
        String manyFields = IntStream.range(0, 1500).mapToObj(i -> "p" + i + "=v").collect(Collectors.joining("&"));
        String bigBody = "a=" + "x".repeat(20 * 1024);
        String authorize = stack.issuer;
        String token = stack.tokenUrl(0);
        assertThat(Wire.get(authorize + "/authorize?state=" + "x".repeat(9000)).status()).as("query over 8192").isEqualTo(400);
        for (String url : new String[] {authorize + "/authorize", authorize + "/login", authorize + "/consent", authorize + "/logout",
                token + "/token", token + "/revoke", token + "/introspect", token + "/userinfo"}) {
            int header = fresh(HttpRequest.newBuilder(URI.create(url)).header("X-Large", hugeHeader).GET());
            assertThat(header).as("%s with a 17 KiB header", url).isEqualTo(431);
            for (String body : new String[] {manyFields, bigBody}) {
                int status = fresh(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body)));
                assertThat(status).as("%s with %d bytes in the form", url, body.length()).isBetween(400, 499);
            }
        }
    }
}
