package io.latchkey.authorize.otp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.model.directory.SecondFactorDirectory;
import io.latchkey.model.directory.UserDirectory;
import io.latchkey.model.domain.User;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.testing.AuditRows;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestPostgres;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The second factor against real Redis and PostgreSQL: single use per step, recovery codes, throttling of parallel
 * guesses, enrolment and its audit trail. Waits are 30 s and up ({@link LongWaits}), so "still
 * throttled" cannot pass by a wait running out on a slow machine.
 */
@QuarkusTest
@TestProfile(SecondFactorsTest.LongWaits.class)
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class SecondFactorsTest {

    public static class LongWaits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("latchkey.login-throttle.account.first-delay", "30s",
                    "latchkey.login-throttle.account.max-delay", "10m");
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ADDRESS = "192.0.2.7";

    @Inject
    SecondFactors factors;

    @Inject
    SecondFactorDirectory directory;

    @Inject
    TotpEnrolments enrolments;

    @Inject
    UserDirectory users;

    @Inject
    Pool pool;

    private final String userId = "u-" + OpaqueToken.randomId(6).toLowerCase(Locale.ROOT).replace('-', 'x').replace('_', 'y');

    private void newUser() {
        pool.withTransaction(tx -> users.save(tx, List.of(new User(userId, "name-" + userId, null, true, Map.of()))))
                .await().atMost(WAIT);
    }

    private Verification verify(String input) {
        return factors.verify(userId, input, ADDRESS).await().atMost(WAIT);
    }

    /** A user enrolled with the code of the current step; returns the secret. */
    private byte[] enrolled(List<String> recoveryCodes) {
        newUser();
        byte[] secret = Totp.newSecret();
        recoveryCodes.addAll(factors.enrol(userId, secret, Totp.code(secret, Totp.step(Instant.now()))).await().atMost(WAIT));
        return secret;
    }

    /** Six digits that are no code of the window around now. */
    private static String wrongCode(byte[] secret) {
        long step = Totp.step(Instant.now());
        Set<String> valid = Set.of(Totp.code(secret, step - 1), Totp.code(secret, step), Totp.code(secret, step + 1),
                Totp.code(secret, step + 2));
        return IntStream.range(0, 10).mapToObj(i -> String.valueOf(i).repeat(6)).filter(c -> !valid.contains(c)).findFirst().orElseThrow();
    }

    @Test
    void verifyWhenCodeUsedOnceThenAcceptedAndReplayedInItsStepThenRejected() {
        long mark = AuditRows.mark();
        List<String> recovery = new java.util.ArrayList<>();
        byte[] secret = enrolled(recovery);
        long confirmed = directory.findTotp(userId).await().atMost(WAIT).orElseThrow().lastStep();

        // The code that confirmed the enrolment cannot sign in.
        assertThat(verify(Totp.code(secret, confirmed))).isEqualTo(new Verification.Rejected(Duration.ZERO));
        String next = Totp.code(secret, confirmed + 1);
        assertThat(verify(next.substring(0, 3) + " " + next.substring(3))).isEqualTo(new Verification.Accepted("otp"));
        assertThat(verify(next)).isEqualTo(new Verification.Rejected(Duration.ZERO));

        List<AuditRows.Row> rows = AuditRows.await(mark, r -> userId.equals(r.subject()), 4, WAIT);
        assertThat(rows).extracting(AuditRows.Row::type)
                .containsExactly("totp.enrolled", "second-factor.failed", "second-factor.succeeded", "second-factor.failed");
        assertThat(rows.get(0).actor()).isEqualTo("user:" + userId);
        assertThat(rows.get(2).actor()).isEqualTo("user:" + userId);
        assertThat(rows.get(1).actor()).isNull();
        assertThat(rows.subList(1, 4)).allSatisfy(row -> assertThat(row.details()).contains("\"method\": \"otp\"")
                .contains("\"address\": \"" + ADDRESS + "\""));
        assertThat(rows).allSatisfy(row -> assertThat(row.details()).doesNotContain(next, Totp.code(secret, confirmed)));
        assertThat(rows).allSatisfy(row -> recovery.forEach(code -> assertThat(row.details()).doesNotContain(code)));
    }

    @Test
    void verifyWhenAHundredWrongCodesAtOnceThenThrottledAfterTheFreeAttemptsAndTheRightCodeIsNotCheckedEither() {
        byte[] secret = enrolled(new java.util.ArrayList<>());
        String wrong = wrongCode(secret);
        List<Verification> results = Uni.join().all(IntStream.range(0, 100).mapToObj(i -> factors.verify(userId, wrong, ADDRESS)).toList())
                .andFailFast().await().atMost(Duration.ofSeconds(30));

        // Each admitted attempt is checked, each refused one is not: exactly the 5 free attempts were checked.
        List<Verification> checked = results.stream().filter(r -> r instanceof Verification.Rejected).toList();
        List<Verification> throttled = results.stream().filter(r -> r instanceof Verification.Throttled).toList();
        assertThat(checked).hasSize(5);
        assertThat(throttled).hasSize(95).allSatisfy(r -> assertThat(((Verification.Throttled) r).retryAfter())
                .isGreaterThan(Duration.ZERO).isLessThan(Duration.ofSeconds(31)));
        // The fifth failure set the first wait.
        assertThat(checked).contains(new Verification.Rejected(Duration.ofSeconds(30)));

        long step = Totp.step(Instant.now());
        assertThat(verify(Totp.code(secret, step + 1))).isInstanceOf(Verification.Throttled.class);
        assertThat(directory.findTotp(userId).await().atMost(WAIT).orElseThrow().lastStep()).as("right code not checked").isLessThan(step + 1);
    }

    @Test
    void verifyWhenRecoveryCodeThenAcceptedOnceInAnySpellingAndNeverAgain() {
        long mark = AuditRows.mark();
        List<String> recovery = new java.util.ArrayList<>();
        enrolled(recovery);
        assertThat(recovery).hasSize(10);
        String typed = recovery.get(3).toLowerCase(Locale.ROOT).replace("-", " ").replace('0', 'o').replace('1', 'l');

        assertThat(verify(typed)).isEqualTo(new Verification.Accepted("recovery-code"));
        assertThat(verify(recovery.get(3))).isEqualTo(new Verification.Rejected(Duration.ZERO));
        assertThat(directory.recoveryCodesLeft(userId).await().atMost(WAIT)).isEqualTo(9);

        List<AuditRows.Row> rows = AuditRows.await(mark, r -> userId.equals(r.subject()) && r.type().startsWith("second-factor"), 2, WAIT);
        assertThat(rows).extracting(AuditRows.Row::type).containsExactly("second-factor.succeeded", "second-factor.failed");
        assertThat(rows).allSatisfy(row -> assertThat(row.details()).contains("\"method\": \"recovery-code\"")
                .doesNotContain(recovery.get(3)).doesNotContain(typed));
    }

    @Test
    void verifyWhenNoTotpEnrolledOrInputMalformedThenRejected() {
        newUser();
        assertThat(verify("123456")).isEqualTo(new Verification.Rejected(Duration.ZERO));
        assertThat(verify("12345")).isEqualTo(new Verification.Rejected(Duration.ZERO));
        assertThat(verify("AAAA-AAAA-AAAA-AAAA")).isEqualTo(new Verification.Rejected(Duration.ZERO));
        assertThat(factors.hasTotp(userId).await().atMost(WAIT)).isFalse();
    }

    @Test
    void enrolWhenCodeIsWrongThenRefusedAndNothingStored() {
        newUser();
        byte[] secret = Totp.newSecret();
        assertThatThrownBy(() -> factors.enrol(userId, secret, wrongCode(secret)).await().atMost(WAIT))
                .isInstanceOf(CodeRejectedException.class);
        assertThat(factors.hasTotp(userId).await().atMost(WAIT)).isFalse();
        assertThat(directory.recoveryCodesLeft(userId).await().atMost(WAIT)).isZero();
    }

    @Test
    void enrolStoresTheSecretEncryptedNeverInClear() {
        byte[] secret = enrolled(new java.util.ArrayList<>());
        String stored = TestPostgres.get().queryOne("SELECT secret FROM credentials WHERE user_id = '" + userId + "' AND type = 'totp'");
        assertThat(stored).startsWith("v1.").doesNotContain(Base32.encode(secret));
        assertThat(factors.hasTotp(userId).await().atMost(WAIT)).isTrue();
    }

    @Test
    void regenerateRecoveryCodesThenOnlyTheNewOnesWorkAndRemoveEndsEverything() {
        long mark = AuditRows.mark();
        List<String> old = new java.util.ArrayList<>();
        byte[] secret = enrolled(old);
        List<String> fresh = factors.regenerateRecoveryCodes(userId).await().atMost(WAIT);
        assertThat(fresh).hasSize(10).doesNotContainAnyElementsOf(old);
        assertThat(verify(old.get(0))).isInstanceOf(Verification.Rejected.class);
        assertThat(verify(fresh.get(0))).isEqualTo(new Verification.Accepted("recovery-code"));

        assertThat(factors.remove(userId, "client:admin").await().atMost(WAIT)).isTrue();
        assertThat(factors.remove(userId, "client:admin").await().atMost(WAIT)).isFalse();
        assertThat(factors.hasTotp(userId).await().atMost(WAIT)).isFalse();
        assertThat(verify(fresh.get(1))).isInstanceOf(Verification.Rejected.class);
        assertThat(verify(Totp.code(secret, Totp.step(Instant.now()) + 1))).isInstanceOf(Verification.Rejected.class);
        assertThatThrownBy(() -> factors.regenerateRecoveryCodes(userId).await().atMost(WAIT))
                .isInstanceOf(SecondFactorDirectory.NoTotpException.class);

        List<AuditRows.Row> rows = AuditRows.await(mark, r -> userId.equals(r.subject()) && !r.type().startsWith("second-factor"), 3, WAIT);
        assertThat(rows).extracting(AuditRows.Row::type).containsExactly("totp.enrolled", "recovery-codes.regenerated", "totp.removed");
        assertThat(rows.get(2).actor()).isEqualTo("client:admin");
    }

    @Test
    void beginEnrolmentWhenReloadedThenTheSameSecretAndAnotherUserNeverSeesIt() {
        String owner = OpaqueToken.sha256(OpaqueToken.randomId(16));
        byte[] first = enrolments.begin(owner, "alice").await().atMost(WAIT);
        assertThat(first).hasSize(20);
        assertThat(enrolments.begin(owner, "alice").await().atMost(WAIT)).isEqualTo(first);
        assertThat(enrolments.pending(owner, "alice").await().atMost(WAIT)).hasValueSatisfying(p -> assertThat(p).isEqualTo(first));
        assertThat(enrolments.pending(owner, "mallory").await().atMost(WAIT)).isEmpty();
        // Another user in the same browser gets a secret of their own, not alice's.
        byte[] mallorys = enrolments.begin(owner, "mallory").await().atMost(WAIT);
        assertThat(mallorys).isNotEqualTo(first);

        enrolments.finish(owner).await().atMost(WAIT);
        assertThat(enrolments.pending(owner, "mallory").await().atMost(WAIT)).isEmpty();
    }
}
