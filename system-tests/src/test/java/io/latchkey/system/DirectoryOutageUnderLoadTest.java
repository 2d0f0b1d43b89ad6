package io.latchkey.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testing.TestPostgres;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped for {@link #OUTAGE} under a bounded load (4 threads for {@link #LOAD}) through the packaged
 * services: code exchanges, refresh rotations, client_credentials and /userinfo keep answering normally from
 * Redis and the directory caches, while a login, which must read a password hash, answers 503 with
 * Retry-After; logins work again by themselves once PostgreSQL is back.
 */
class DirectoryOutageUnderLoadTest {

    private static final Duration LOAD = Duration.ofSeconds(14);
    private static final Duration OUTAGE = Duration.ofSeconds(8);
    private static final int THREADS = 4;
    private static final int CODES = 16;

    private static Stack stack;

    /** One request of the load and how it ended. */
    record Shot(String kind, int status, String detail) {
    }

    @BeforeAll
    static void start() {
        stack = Stack.start(1);
    }

    @AfterAll
    static void stop() {
        TestPostgres.get().start();
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void postgresStoppedUnderLoadThenTheTokenLegAnswersEveryRequestAndLoginsAnswer503UntilItIsBack() throws Exception {
        // Before the outage: codes to redeem during it, and a refresh token per thread, all minted through the forms.
        ConcurrentLinkedQueue<Grants.Code> codes = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < CODES; i++) {
            codes.add(Grants.mint(stack));
        }
        List<AtomicReference<String>> refreshTokens = new ArrayList<>();
        List<AtomicReference<String>> accessTokens = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            Wire.Answer tokens = Grants.exchange(stack, 0, Grants.mint(stack));
            refreshTokens.add(new AtomicReference<>(tokens.string("refresh_token")));
            accessTokens.add(new AtomicReference<>(tokens.string("access_token")));
        }
        Wire.Answer warm = clientCredentials();
        assertThat(warm.status()).as("client_credentials before the outage: %s", warm).isEqualTo(200);

        List<Shot> shots = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + LOAD.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            workers.add(pool.submit(() -> {
                int round = 0;
                while (System.nanoTime() < end) {
                    Wire.Answer refreshed = Wire.postForm(stack.tokenUrl(0) + "/token",
                            Grants.refreshForm(refreshTokens.get(thread).get()));
                    shots.add(new Shot("refresh", refreshed.status(), refreshed.toString()));
                    if (refreshed.status() == 200) {
                        refreshTokens.get(thread).set(refreshed.string("refresh_token"));
                        accessTokens.get(thread).set(refreshed.string("access_token"));
                    }
                    Wire.Answer userinfo = Grants.userinfo(stack, 0, accessTokens.get(thread).get());
                    shots.add(new Shot("userinfo", userinfo.status(), userinfo.toString()));
                    if (round++ % 4 == 0) {
                        Wire.Answer cc = clientCredentials();
                        shots.add(new Shot("client_credentials", cc.status(), cc.toString()));
                        Grants.Code code = codes.poll();
                        if (code != null) {
                            Wire.Answer exchanged = Wire.postForm(stack.tokenUrl(0) + "/token", Grants.exchangeForm(code));
                            shots.add(new Shot("exchange", exchanged.status(), exchanged.toString()));
                        }
                    }
                }
            }));
        }

        Thread.sleep(3_000);
        TestPostgres.get().stop();
        List<Shot> logins = new ArrayList<>();
        try {
            long outageEnd = System.nanoTime() + OUTAGE.toNanos();
            while (System.nanoTime() < outageEnd) {
                HttpResponse<String> login = new FormDriver().loginOnce(Grants.authorizationRequest(stack), Stack.USERNAME, Stack.PASSWORD);
                logins.add(new Shot("login", login.statusCode(), login.headers().firstValue("Retry-After").orElse("no Retry-After")));
                Thread.sleep(500);
            }
        } finally {
            TestPostgres.get().start();
        }
        for (Future<?> worker : workers) {
            worker.get(LOAD.toSeconds() + 30, TimeUnit.SECONDS);
        }
        pool.shutdownNow();

        Map<String, Long> byKind = shots.stream().collect(java.util.stream.Collectors.groupingBy(Shot::kind,
                java.util.stream.Collectors.counting()));
        System.out.printf("   token leg during a %d s PostgreSQL outage: %s requests, %d not 200; logins meanwhile: %s%n",
                OUTAGE.toSeconds(), byKind, shots.stream().filter(s -> s.status() != 200).count(), logins);
        assertThat(shots.stream().filter(s -> s.status() != 200).toList()).as("token-leg answers other than 200").isEmpty();
        assertThat(byKind.keySet()).containsExactlyInAnyOrder("refresh", "userinfo", "client_credentials", "exchange");
        assertThat(logins).isNotEmpty().allSatisfy(login -> {
            assertThat(login.status()).isEqualTo(503);
            assertThat(login.detail()).isEqualTo("5");
        });

        // Back: a login signs in again within seconds, without a restart.
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                Grants.mint(stack);
                break;
            } catch (IllegalStateException e) {
                assertThat(System.nanoTime()).as("logins recover within 20 s: " + e.getMessage()).isLessThan(deadline);
                Thread.sleep(500);
            }
        }
    }

    private static Wire.Answer clientCredentials() {
        return Wire.postForm(stack.tokenUrl(0) + "/token", Map.of("grant_type", "client_credentials"),
                "Authorization", Wire.basic(Stack.BACKEND_CLIENT, Stack.BACKEND_SECRET));
    }
}
