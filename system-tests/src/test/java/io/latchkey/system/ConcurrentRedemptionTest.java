package io.latchkey.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two hundred clients race with one code, then with one refresh token, through HTTP and across two
 * token-service processes that share only Redis: exactly one wins each race, every loser gets
 * {@code invalid_grant}, and because the losers count as a replay (RFC 6749 §4.1.2) or as reuse
 * (RFC 9700 §4.14.2) the family the winner started is revoked.
 */
class ConcurrentRedemptionTest {

    private static final int RACERS = 200;

    private static Stack stack;

    @BeforeAll
    static void start() {
        stack = Stack.start(2);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** Sends the same form {@link #RACERS} times at once, alternating between the two replicas. */
    private static List<Wire.Answer> race(Map<String, String> form) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        try {
            CountDownLatch ready = new CountDownLatch(RACERS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Wire.Answer>> futures = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                String url = stack.tokenUrl(i % 2) + "/token";
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return Wire.postForm(url, form);
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<Wire.Answer> answers = new ArrayList<>();
            for (Future<Wire.Answer> f : futures) {
                answers.add(f.get(60, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Wire.Answer onlyWinner(List<Wire.Answer> answers) {
        List<Wire.Answer> winners = answers.stream().filter(a -> a.status() == 200).toList();
        List<Wire.Answer> losers = answers.stream().filter(a -> a.status() != 200).toList();
        System.out.printf("race of %d: %d won, %d lost%n", answers.size(), winners.size(), losers.size());
        assertThat(winners).as("exactly one winner").hasSize(1);
        assertThat(losers).hasSize(RACERS - 1).allSatisfy(a -> {
            assertThat(a.status()).as(a.toString()).isEqualTo(400);
            assertThat(a.error()).isEqualTo("invalid_grant");
        });
        return winners.get(0);
    }

    @Test
    void redeemWhenTwoHundredRaceOneCodeAcrossTwoReplicasThenOneWinsAndTheReplayRevokesItsFamily() throws Exception {
        Grants.Code code = Grants.mint(stack);

        Wire.Answer winner = onlyWinner(race(Grants.exchangeForm(code)));

        // The losers were replays of a redeemed code: what the winner got is revoked (RFC 6749 §4.1.2).
        Wire.Answer refresh = Wire.postForm(stack.tokenUrl(0) + "/token", Grants.refreshForm(winner.string("refresh_token")));
        assertThat(refresh.status()).as(refresh.toString()).isEqualTo(400);
        assertThat(refresh.error()).isEqualTo("invalid_grant");
        for (int replica = 0; replica < 2; replica++) {
            Wire.Answer userinfo = Grants.userinfo(stack, replica, winner.string("access_token"));
            assertThat(userinfo.status()).as(userinfo.toString()).isEqualTo(401);
            assertThat(userinfo.header("WWW-Authenticate")).get().asString().contains("invalid_token");
        }
    }

    @Test
    void refreshWhenTwoHundredRaceOneRefreshTokenAcrossTwoReplicasThenOneRotatesAndTheFamilyIsRevoked() throws Exception {
        Wire.Answer tokens = Grants.exchange(stack, 0, Grants.mint(stack));
        assertThat(Grants.userinfo(stack, 1, tokens.string("access_token")).status()).isEqualTo(200);

        Wire.Answer winner = onlyWinner(race(Grants.refreshForm(tokens.string("refresh_token"))));
        assertThat(winner.string("refresh_token")).isNotEqualTo(tokens.string("refresh_token"));

        // The losers presented a rotated token: reuse ends the whole family, the winner's new tokens too.
        Wire.Answer next = Wire.postForm(stack.tokenUrl(1) + "/token", Grants.refreshForm(winner.string("refresh_token")));
        assertThat(next.status()).as(next.toString()).isEqualTo(400);
        assertThat(next.error()).isEqualTo("invalid_grant");
        assertThat(Grants.userinfo(stack, 0, winner.string("access_token")).status()).isEqualTo(401);
        assertThat(Grants.userinfo(stack, 1, tokens.string("access_token")).status()).isEqualTo(401);
    }
}
