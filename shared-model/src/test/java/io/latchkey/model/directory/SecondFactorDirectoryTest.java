package io.latchkey.model.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.model.domain.User;
import io.latchkey.model.store.StoreException;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestPostgres;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** TOTP rows and recovery codes against a real PostgreSQL: replacement, single use under concurrency, removal, outage. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class SecondFactorDirectoryTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    SecondFactorDirectory directory;

    @Inject
    UserDirectory users;

    @Inject
    Pool pool;

    private final String userId = "u-" + OpaqueToken.randomId(6).toLowerCase(Locale.ROOT).replace('-', 'x').replace('_', 'y');

    private String newUser() {
        pool.withTransaction(tx -> users.save(tx, List.of(new User(userId, "name-" + userId, null, true, Map.of()))))
                .await().atMost(WAIT);
        return userId;
    }

    private static byte[] digest(String code) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<byte[]> digests(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> digest(prefix + i)).toList();
    }

    private void enrol(String secret, long step, List<byte[]> codes) {
        directory.enrolTotp(userId, secret, step, codes).await().atMost(WAIT);
    }

    @Test
    void enrolWhenEnrolledAgainThenSecretAndRecoveryCodesAreReplaced() {
        newUser();
        enrol("v1.first", 100, digests("a", 10));
        enrol("v1.second", 200, digests("b", 3));

        SecondFactorDirectory.TotpCredential totp = directory.findTotp(userId).await().atMost(WAIT).orElseThrow();
        assertThat(totp.encryptedSecret()).isEqualTo("v1.second");
        assertThat(totp.lastStep()).isEqualTo(200);
        assertThat(totp.createdAt()).isBefore(java.time.Instant.now().plusSeconds(5));
        assertThat(directory.recoveryCodesLeft(userId).await().atMost(WAIT)).isEqualTo(3);
        assertThat(directory.redeemRecoveryCode(userId, digest("a0")).await().atMost(WAIT)).isFalse();
        assertThat(directory.redeemRecoveryCode(userId, digest("b0")).await().atMost(WAIT)).isTrue();
        assertThat(TestPostgres.get().queryOne("SELECT count(*) FROM credentials WHERE user_id = '" + userId + "' AND type = 'totp'"))
                .isEqualTo("1");
    }

    @Test
    void acceptStepWhenTheConfirmingStepIsUsedAgainThenRefused() {
        newUser();
        enrol("v1.s", 100, List.of());
        assertThat(directory.acceptStep(userId, 100).await().atMost(WAIT)).isFalse();
        assertThat(directory.acceptStep(userId, 101).await().atMost(WAIT)).isTrue();
    }

    @Test
    void acceptStepWhenSameStepTwiceOrAnOlderStepAfterANewerThenRefused() {
        newUser();
        enrol("v1.s", 100, List.of());
        assertThat(directory.acceptStep(userId, 102).await().atMost(WAIT)).isTrue();
        assertThat(directory.acceptStep(userId, 102).await().atMost(WAIT)).isFalse();
        assertThat(directory.acceptStep(userId, 101).await().atMost(WAIT)).isFalse();
        assertThat(directory.findTotp(userId).await().atMost(WAIT).orElseThrow().lastStep()).isEqualTo(102);
        assertThat(TestPostgres.get().queryOne("SELECT last_used_at IS NOT NULL FROM credentials WHERE user_id = '" + userId
                + "' AND type = 'totp'")).isEqualTo("t");
    }

    @Test
    void acceptStepWhenNoTotpThenFalse() {
        newUser();
        assertThat(directory.acceptStep(userId, 1).await().atMost(WAIT)).isFalse();
        assertThat(directory.findTotp(userId).await().atMost(WAIT)).isEmpty();
    }

    @Test
    void acceptStepWhenTwentyUsesOfOneStepRaceThenExactlyOneWins() {
        newUser();
        enrol("v1.s", 100, List.of());
        List<Boolean> results = Uni.join().all(IntStream.range(0, 20).mapToObj(i -> directory.acceptStep(userId, 101)).toList())
                .andFailFast().await().atMost(WAIT);
        assertThat(results).hasSize(20).containsOnlyOnce(true);
    }

    @Test
    void redeemRecoveryCodeWhenUsedTwiceOrRacedThenOnlyOnceAccepted() {
        newUser();
        enrol("v1.s", 100, digests("c", 10));
        assertThat(directory.redeemRecoveryCode(userId, digest("c1")).await().atMost(WAIT)).isTrue();
        assertThat(directory.redeemRecoveryCode(userId, digest("c1")).await().atMost(WAIT)).isFalse();

        List<Boolean> raced = Uni.join().all(IntStream.range(0, 20).mapToObj(i -> directory.redeemRecoveryCode(userId, digest("c2"))).toList())
                .andFailFast().await().atMost(WAIT);
        assertThat(raced).hasSize(20).containsOnlyOnce(true);
        assertThat(directory.recoveryCodesLeft(userId).await().atMost(WAIT)).isEqualTo(8);
    }

    @Test
    void redeemRecoveryCodeWhenTheCodeIsAnotherUsersThenRefused() {
        newUser();
        enrol("v1.s", 100, digests("d", 1));
        assertThat(directory.redeemRecoveryCode("someone-else", digest("d0")).await().atMost(WAIT)).isFalse();
        assertThat(directory.recoveryCodesLeft(userId).await().atMost(WAIT)).isEqualTo(1);
    }

    @Test
    void replaceRecoveryCodesThenOnlyTheNewOnesWork() {
        newUser();
        enrol("v1.s", 100, digests("e", 10));
        directory.replaceRecoveryCodes(userId, digests("f", 10)).await().atMost(WAIT);
        assertThat(directory.recoveryCodesLeft(userId).await().atMost(WAIT)).isEqualTo(10);
        assertThat(directory.redeemRecoveryCode(userId, digest("e0")).await().atMost(WAIT)).isFalse();
        assertThat(directory.redeemRecoveryCode(userId, digest("f0")).await().atMost(WAIT)).isTrue();
    }

    @Test
    void replaceRecoveryCodesWhenNoTotpThenRefusedAndNothingStored() {
        newUser();
        assertThatThrownBy(() -> directory.replaceRecoveryCodes(userId, digests("g", 10)).await().atMost(WAIT))
                .isInstanceOf(SecondFactorDirectory.NoTotpException.class).hasMessageContaining("no TOTP");
        assertThat(directory.recoveryCodesLeft(userId).await().atMost(WAIT)).isZero();
    }

    @Test
    void removeTotpThenSecretAndRecoveryCodesAreGoneAndASecondRemovalSaysSo() {
        newUser();
        enrol("v1.s", 100, digests("h", 10));
        assertThat(directory.removeTotp(userId).await().atMost(WAIT)).isTrue();
        assertThat(directory.findTotp(userId).await().atMost(WAIT)).isEmpty();
        assertThat(directory.recoveryCodesLeft(userId).await().atMost(WAIT)).isZero();
        assertThat(directory.removeTotp(userId).await().atMost(WAIT)).isFalse();
    }

    @Test
    void whenPostgresIsPausedThenCallsFailAsUnavailable() {
        newUser();
        TestPostgres.get().pause();
        try {
            assertThatThrownBy(() -> directory.acceptStep(userId, 5).await().atMost(WAIT))
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.UNAVAILABLE));
            assertThatThrownBy(() -> directory.redeemRecoveryCode(userId, digest("x")).await().atMost(WAIT))
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.UNAVAILABLE));
        } finally {
            TestPostgres.get().resume();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                directory.findTotp(userId).await().atMost(WAIT);
                break;
            } catch (StoreException e) {
                assertThat(System.nanoTime()).as("recovered within 20 s").isLessThan(deadline);
            }
        }
    }
}
