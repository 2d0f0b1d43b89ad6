package io.latchkey.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testing.TestRedis;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A bounded load on loopback (4 threads, under 20 s per test) through both services while Redis is frozen
 * (SIGSTOP), killed and restarted, and while one token-service replica is killed. During a fault every answer
 * is 503 {@code temporarily_unavailable} in the endpoint's format or the normal answer, within the client
 * deadline (Redis calls time out after 2 s, so no answer may take more than {@link #DEADLINE}); none is a 500;
 * and {@link #RECOVERY} after Redis is back every answer is normal again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultUnderLoadTest {

    private static final Duration DEADLINE = Duration.ofSeconds(6);
    private static final Duration RECOVERY = Duration.ofSeconds(5);
    private static final int THREADS = 4;
    /** Well-formed, never issued: token-service must ask Redis to refuse it. */
    private static final String UNKNOWN_REFRESH_TOKEN = "AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

    private static Stack stack;
    private static String accessToken;
    private static String authorizeQuery;

    /** One request of the load and how it ended, in milliseconds since the load started. */
    record Shot(String kind, int replica, long start, long end, int status, String error) {
        boolean normal() {
            return switch (kind) {
                case "userinfo", "authorize" -> status == 200;
                default -> status == 400 && "invalid_grant".equals(error);
            };
        }

        /** 503 temporarily_unavailable, or at /authorize, once the client is proven, the error redirect carrying it. */
        boolean unavailable() {
            return (status == 503 || (kind.equals("authorize") && status == 302)) && "temporarily_unavailable".equals(error);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        // One loopback address stands for every user of the load: the per-address cap on pending requests (its
        // own test is LimitsAndKeyGrowthTest) would start refusing the load's /authorize calls part-way.
        stack = Stack.start(2, Map.of("LATCHKEY_PENDING_REQUESTS_PER_ADDRESS", "1000000"));
        accessToken = Grants.exchange(stack, 0, Grants.mint(stack)).string("access_token");
        authorizeQuery = Wire.form(FuzzCase.map("response_type", "code", "client_id", Stack.NATIVE_CLIENT,
                "redirect_uri", "http://127.0.0.1:" + TestRedis.freePort() + "/callback", "scope", "openid",
                "state", "s", "nonce", "n", "code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
                "code_challenge_method", "S256"));
    }

    @AfterAll
    static void stop() {
        TestRedis.get().resume();
        if (stack != null) {
            stack.close();
        }
    }

    private static Shot fire(String kind, int replica, long t0) {
        HttpRequest.Builder request = switch (kind) {
            case "userinfo" -> HttpRequest.newBuilder(URI.create(stack.tokenUrl(replica) + "/userinfo"))
                    .header("Authorization", "Bearer " + accessToken).GET();
            case "authorize" -> HttpRequest.newBuilder(URI.create(stack.issuer + "/authorize?" + authorizeQuery)).GET();
            default -> HttpRequest.newBuilder(URI.create(stack.tokenUrl(replica) + "/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(Wire.form(Grants.refreshForm(UNKNOWN_REFRESH_TOKEN))));
        };
        long start = System.nanoTime();
        int status;
        String error = null;
        try {
            Wire.Answer a = Wire.send(request, DEADLINE);
            status = a.status();
            String location = a.header("Location").orElse("");
            if (status == 302 && location.startsWith("http://127.0.0.1:")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("[?&]error=([a-z_]+)").matcher(location);
                error = m.find() ? m.group(1) : null;
            } else if (a.header("Content-Type").orElse("").startsWith("application/json") && a.body().startsWith("{")) {
                error = a.error();
            } else {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("data-error=\"([a-z_]+)\"").matcher(a.body());
                error = m.find() ? m.group(1) : null;
            }
            if (status == 503 && a.header("Retry-After").isEmpty()) {
                error = "503 without Retry-After";
            }
        } catch (IllegalStateException e) {
            boolean timeout = e.getCause() instanceof java.net.http.HttpTimeoutException;
            status = timeout ? -2 : -1;
            error = timeout ? "no answer within " + DEADLINE : "connection failed: " + e.getCause();
        }
        return new Shot(kind, replica, (start - t0) / 1_000_000, (System.nanoTime() - t0) / 1_000_000, status, error);
    }

    /** Runs the load for {@code duration} while {@code fault} runs on this thread; returns every shot. */
    private static List<Shot> load(Duration duration, List<String> kinds, Runnable fault) throws Exception {
        List<Shot> shots = Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        long end = t0 + duration.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    for (int i = 0; System.nanoTime() < end; i++) {
                        shots.add(fire(kinds.get((thread + i) % kinds.size()), (thread + i) % 2, t0));
                        Thread.sleep(20);
                    }
                    return null;
                }));
            }
            fault.run();
            for (Future<?> w : workers) {
                w.get(duration.toSeconds() + DEADLINE.toSeconds() + 10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return new ArrayList<>(shots);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Checks the rules for a Redis fault from {@code faultStart} to {@code faultEnd} (ms since the load began). */
    private static void assertDegradedAndRecovered(String fault, List<Shot> shots, long faultStart, long faultEnd) {
        long unavailable = shots.stream().filter(Shot::unavailable).count();
        List<Shot> wrong = shots.stream().filter(s -> !s.normal() && !s.unavailable()).toList();
        long lastAbnormal = shots.stream().filter(s -> !s.normal()).mapToLong(Shot::end).max().orElse(faultEnd);
        long recovery = Math.max(0, lastAbnormal - faultEnd);
        long slowest = shots.stream().mapToLong(s -> s.end() - s.start()).max().orElse(0);
        System.out.printf("%s: %d requests, %d normal, %d temporarily_unavailable (503, or the error redirect at /authorize), %d other; slowest %d ms; "
                        + "normal again %d ms after Redis was back (bound %d ms)%n", fault, shots.size(),
                shots.stream().filter(Shot::normal).count(), unavailable, wrong.size(), slowest, recovery, RECOVERY.toMillis());

        assertThat(wrong).as("answers that are neither normal nor 503 temporarily_unavailable (500s, hangs, failures)").isEmpty();
        assertThat(shots.stream().filter(s -> s.end() < faultStart)).as("before the fault").allMatch(Shot::normal);
        assertThat(unavailable).as("the fault was noticed").isPositive();
        assertThat(shots.stream().filter(s -> s.start() > faultEnd + RECOVERY.toMillis()))
                .as("after recovery").isNotEmpty().allMatch(Shot::normal);
        assertThat(slowest).as("no answer past the deadline").isLessThan(DEADLINE.toMillis());
    }

    @Test
    @Order(1)
    void redisFrozenUnderLoadThen503WithinTheDeadlineAndNormalSoonAfterItResumes() throws Exception {
        long[] window = new long[2];
        long t0 = System.nanoTime();
        List<Shot> shots = load(Duration.ofSeconds(15), List.of("userinfo", "refresh", "authorize"), () -> {
            sleep(3000);
            window[0] = (System.nanoTime() - t0) / 1_000_000;
            TestRedis.get().pause();
            sleep(4000);
            TestRedis.get().resume();
            window[1] = (System.nanoTime() - t0) / 1_000_000;
        });
        assertDegradedAndRecovered("Redis frozen (SIGSTOP) 4 s", shots, window[0], window[1]);
    }

    @Test
    @Order(2)
    void redisKilledAndRestartedUnderLoadThen503AndNormalSoonAfterItIsBack() throws Exception {
        TestRedis redis = TestRedis.get();
        // A production Redis persists (AOF/RDB); the private one is made to, so the registry survives the restart.
        assertThat(redis.command("SAVE")).isEqualTo("OK");
        Path snapshot = Path.of(redis.command("CONFIG", "GET", "dir").split("\n")[1], "dump.rdb");
        long[] window = new long[2];
        long t0 = System.nanoTime();
        List<Shot> shots;
        try {
            shots = load(Duration.ofSeconds(16), List.of("userinfo", "refresh", "authorize"), () -> {
                sleep(3000);
                window[0] = (System.nanoTime() - t0) / 1_000_000;
                redis.stop();
                sleep(3000);
                redis.start();
                window[1] = (System.nanoTime() - t0) / 1_000_000;
            });
        } finally {
            if (!redis.command("PING").equals("PONG")) {
                redis.start();
            }
            Files.deleteIfExists(snapshot);
        }
        assertDegradedAndRecovered("Redis killed 3 s and restarted", shots, window[0], window[1]);
    }

    /** Runs last: it kills a replica of the stack the class shares. */
    @Test
    @Order(3)
    void tokenReplicaKilledUnderLoadThenTheOtherKeepsServing() throws Exception {
        long[] killedAt = new long[1];
        long t0 = System.nanoTime();
        List<Shot> shots = load(Duration.ofSeconds(10), List.of("userinfo", "refresh"), () -> {
            sleep(3000);
            killedAt[0] = (System.nanoTime() - t0) / 1_000_000;
            stack.tokens.get(1).kill();
        });
        List<Shot> survivor = shots.stream().filter(s -> s.replica() == 0).toList();
        List<Shot> killed = shots.stream().filter(s -> s.replica() == 1).toList();
        System.out.printf("replica killed: survivor %d requests, %d normal; killed replica %d requests, %d refused after the kill%n",
                survivor.size(), survivor.stream().filter(Shot::normal).count(), killed.size(),
                killed.stream().filter(s -> s.status() == -1).count());
        assertThat(survivor.stream().filter(s -> s.start() > killedAt[0])).as("the survivor served after the kill").hasSizeGreaterThan(10);
        assertThat(survivor).as("the survivor answers normally throughout").allMatch(Shot::normal);
        assertThat(killed.stream().filter(s -> s.end() < killedAt[0])).allMatch(Shot::normal);
        assertThat(killed).as("the dead replica refuses connections; it never answers 5xx").allMatch(s -> s.normal() || s.status() == -1);
        assertThat(Wire.get(stack.tokenReadinessUrl(0)).status()).isEqualTo(200);
    }
}
