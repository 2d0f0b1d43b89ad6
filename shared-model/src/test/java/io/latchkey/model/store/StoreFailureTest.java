package io.latchkey.model.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.model.directory.ClientDirectory;
import io.latchkey.model.directory.UserDirectory;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestPostgres;
import io.latchkey.testing.TestRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Bad state and an absent Redis are typed errors a caller can answer with, never a NullPointerException. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class StoreFailureTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    ClientDirectory clients;

    @Inject
    UserDirectory users;

    @Inject
    AuthorizationRequestStore requests;

    @Inject
    CodeStore codes;

    @Test
    void findWhenRecordIsNotJsonThenCorruptMappedToServerError() {
        TestRedis.get().command("SET", RedisKeys.authorizationRequest("corrupt-1"), "{not json");
        assertThatThrownBy(() -> requests.find("corrupt-1").await().atMost(WAIT))
                .isInstanceOfSatisfying(StoreException.class, e -> {
                    assertThat(e.kind()).isEqualTo(StoreException.Kind.CORRUPT);
                    assertThat(OAuthException.from(e).error()).isEqualTo(OAuthError.SERVER_ERROR);
                });
    }

    @Test
    void findWhenRequiredFieldMissingOrVersionMissingThenCorrupt() {
        TestPostgres.get().execute("INSERT INTO clients (client_id, registration) VALUES "
                + "('corrupt-2', '{\"v\":1,\"name\":\"no id\"}'), "
                + "('corrupt-3', '{\"clientId\":\"x\",\"type\":\"public\"}'), "
                + "('corrupt-4', '[1,2,3]') ON CONFLICT DO NOTHING");
        for (String id : new String[] {"corrupt-2", "corrupt-3", "corrupt-4"}) {
            assertThatThrownBy(() -> clients.find(id).await().atMost(WAIT)).as(id)
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.CORRUPT));
        }
    }

    @Test
    void findWhenWrittenByANewerVersionWithExtraFieldsThenStillReadable() {
        TestPostgres.get().execute("INSERT INTO clients (client_id, registration) VALUES ('from-v2', "
                + "'{\"v\":2,\"clientId\":\"from-v2\",\"type\":\"public\",\"redirectUris\":[\"https://a.example/cb\"],"
                + "\"fieldFromTheFuture\":42}') ON CONFLICT DO NOTHING");
        var client = clients.find("from-v2").await().atMost(WAIT).orElseThrow();
        assertThat(client.redirectUris()).containsExactly("https://a.example/cb");
        assertThat(client.signingAlg()).isEqualTo("RS256");
    }

    @Test
    void findWhenRecordMissingThenEmpty() {
        assertThat(clients.find("never-registered").await().atMost(WAIT)).isEmpty();
        assertThat(users.findByUsername("nobody").await().atMost(WAIT)).isEmpty();
    }

    @Test
    void redeemWhenStoredGrantIsCorruptThenServerErrorAndCodeUsedUp() {
        var code = io.latchkey.model.token.OpaqueToken.newFamily();
        TestRedis.get().command("SET", RedisKeys.code(code.family(), code.hash()), "not json");
        Grants g = new Grants();
        assertThatThrownBy(() -> codes.redeem(code.value(), Grants.CLIENT, Grants.REDIRECT, g.verifier, Grants.REFRESH).await().atMost(WAIT))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.CORRUPT));
        assertThat(TestRedis.get().command("EXISTS", RedisKeys.family(code.family()))).isEqualTo("0");
    }

    @Test
    void callsWhenRedisDownOrPausedThenUnavailableWithinTheDeadlineAndRecoverAfter() {
        TestRedis redis = TestRedis.get();
        requests.find("warm-up").await().atMost(WAIT);

        redis.stop();
        try {
            long start = System.nanoTime();
            assertThatThrownBy(() -> requests.find("x").await().atMost(WAIT))
                    .isInstanceOfSatisfying(StoreException.class, e -> {
                        assertThat(e.kind()).isEqualTo(StoreException.Kind.UNAVAILABLE);
                        assertThat(OAuthException.from(e).error()).isEqualTo(OAuthError.TEMPORARILY_UNAVAILABLE);
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        } finally {
            redis.start();
        }
        awaitRecovery();

        redis.pause();
        try {
            long start = System.nanoTime();
            assertThatThrownBy(() -> requests.find("y").await().atMost(WAIT))
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.UNAVAILABLE));
            // latchkey.redis.timeout=1s in the test settings
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        } finally {
            redis.resume();
        }
        awaitRecovery();
    }

    private void awaitRecovery() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                assertThat(requests.find("after-outage").await().atMost(WAIT)).isEmpty();
                return;
            } catch (StoreException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("store did not recover within 10 s after Redis came back", e);
                }
            }
        }
    }
}
