package io.latchkey.authorize;

import static io.latchkey.authorize.TestBrowser.redirectParams;
import static io.latchkey.authorize.TestBrowser.validRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.model.store.RedisKeys;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A storm of abandoned authorization requests from one client address stores no more than that address's
 * slots (latchkey.pending-requests.per-address); other addresses are not affected. Addresses come through the
 * trusted "proxy" (ProxyProfiles), so the storm has an address of its own.
 */
@QuarkusTest
@TestProfile(ProxyProfiles.TrustedLoopbackProxy.class)
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class PendingRequestCapTest {

    static final int PER_ADDRESS = 30;

    private static Set<String> pendingRequests() {
        String reply = TestRedis.get().command("KEYS", "lk:{req:*");
        return reply == null || reply.isEmpty() ? Set.of()
                : Arrays.stream(reply.split("\n")).filter(k -> !k.isEmpty()).collect(Collectors.toSet());
    }

    private static Response authorizeFrom(String address) {
        TestBrowser browser = new TestBrowser();
        browser.headers.put("X-Forwarded-For", address);
        return browser.authorize(validRequest());
    }

    @Test
    void authorizeStormFromOneAddressWhenOverItsSlotsThenTemporarilyUnavailableAndNothingMoreStored() throws Exception {
        String storm = "198.51.100." + (1 + (int) (Math.random() * 250));
        TestRedis.get().command("DEL", RedisKeys.pendingRequestSlots(storm));
        Set<String> before = pendingRequests();
        int requests = 2 * PER_ADDRESS;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(16);
        List<Response> answers = new ArrayList<>();
        try {
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                futures.add(threads.submit(() -> {
                    start.await();
                    return authorizeFrom(storm);
                }));
            }
            start.countDown();
            for (Future<Response> f : futures) {
                answers.add(f.get());
            }
        } finally {
            threads.shutdownNow();
        }

        List<Response> refused = answers.stream().filter(r -> r.statusCode() == 302).toList();
        assertThat(answers.stream().filter(r -> r.statusCode() == 200)).as("login pages").hasSize(PER_ADDRESS);
        assertThat(refused).hasSize(requests - PER_ADDRESS);
        for (Response r : refused) {
            assertThat(TestBrowser.redirectBase(r)).isEqualTo("https://spa.example.com/callback");
            assertThat(redirectParams(r)).containsEntry("error", "temporarily_unavailable").containsEntry("state", "state-123")
                    .containsKey("iss");
        }
        Set<String> stored = new HashSet<>(pendingRequests());
        stored.removeAll(before);
        assertThat(stored).as("pending requests stored by the storm").hasSize(PER_ADDRESS);
        long ttl = Long.parseLong(TestRedis.get().command("PTTL", RedisKeys.pendingRequestSlots(storm)));
        assertThat(ttl).as("the slots free with the request lifetime").isBetween(1L, 600_000L);

        assertThat(authorizeFrom("198.51.100.251").statusCode()).as("another address").isEqualTo(200);
        assertThat(authorizeFrom(storm).statusCode()).as("the storm's address, still full").isEqualTo(302);
    }

    /**
     * Many people behind one address (an office, or an ingress without trusted proxies) sign in all day: a request
     * that is answered gives its slot back at once, so only abandoned ones count against the address.
     */
    @Test
    void authorizeWhenEarlierRequestsFromTheAddressWereAnsweredThenTheirSlotsAreFree() {
        String office = "203.0.113." + (1 + (int) (Math.random() * 250));
        String slots = RedisKeys.pendingRequestSlots(office);
        TestRedis.get().command("DEL", slots);
        for (int i = 0; i < PER_ADDRESS - 1; i++) {
            assertThat(authorizeFrom(office).statusCode()).as("abandoned request " + i).isEqualTo(200);
        }
        TestBrowser person = new TestBrowser();
        person.headers.put("X-Forwarded-For", office);
        Response login = person.authorize(validRequest());
        assertThat(TestRedis.get().command("ZCARD", slots)).as("every slot held").isEqualTo(Integer.toString(PER_ADDRESS));
        Response afterLogin = person.login(login, "bob", "bob-password");
        // Another test may have left bob's consent remembered: then the login itself answers with the code.
        Response code = afterLogin.statusCode() == 200 ? person.consent(afterLogin, "approve") : afterLogin;
        assertThat(code.statusCode()).isEqualTo(303);
        assertThat(redirectParams(code)).containsKey("code");

        assertThat(TestRedis.get().command("ZCARD", slots)).as("the answered request's slot is free")
                .isEqualTo(Integer.toString(PER_ADDRESS - 1));
        assertThat(authorizeFrom(office).statusCode()).as("the next person from the office").isEqualTo(200);
        assertThat(authorizeFrom(office).statusCode()).as("only abandoned requests fill the slots").isEqualTo(302);
    }
}
