package io.latchkey.token.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.model.keys.SigningKeys;
import io.latchkey.model.keys.VerificationKeys;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.Test;

/** The rotation's decisions on a clock the test sets: stage, the key's own switch-over, retire, stage again. */
class KeyRotationScheduleTest {

    private static final long T0 = 1_800_000_000_000L;
    private static final KeyRotation.Schedule SCHEDULE =
            new KeyRotation.Schedule(Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(10));

    private static SigningKeys generated() {
        return SigningKeys.parse(SigningKeys.write(VerificationKeys.ALGORITHMS.stream().map(a -> SigningKeys.generate(a, T0 / 1000)).toList()), "t");
    }

    private static SigningKeys step(SigningKeys keys, long at) {
        KeyRotation.Plan plan = KeyRotation.plan(keys, at, SCHEDULE);
        return SigningKeys.parse(SigningKeys.write(KeyRotation.apply(keys, plan, at, SCHEDULE)), "t");
    }

    private static String signing(SigningKeys keys, long at) {
        return keys.signing("RS256", at).orElseThrow().getKeyId();
    }

    private static long at(int seconds) {
        return T0 + seconds * 1000L;
    }

    @Test
    void aStagedKeyIsPublishedForPublishAheadThenSignsAndTheOldOneIsRetiredAfterRetireAfter() {
        SigningKeys first = generated();
        String old = signing(first, at(0));
        assertThat(KeyRotation.plan(first, at(24), SCHEDULE).isEmpty()).as("not before signing-period minus publish-ahead").isTrue();

        KeyRotation.Plan plan = KeyRotation.plan(first, at(25), SCHEDULE);
        assertThat(plan.stage()).containsExactly("RS256", "ES256", "EdDSA");
        assertThat(plan.retire()).isEmpty();
        SigningKeys staged = step(first, at(25) + 1);
        String next = staged.ofAlgorithm("RS256").get(0).getKeyId();
        assertThat(next).isNotEqualTo(old);
        assertThat(staged.verification().kids()).hasSize(6).contains(old, next);
        // Published from now on, and signing only from publish-ahead later (rounded up to the second).
        assertThat(SigningKeys.signsFrom(staged.ofAlgorithm("RS256").get(0))).isEqualTo(T0 / 1000 + 31);
        assertThat(signing(staged, at(30))).isEqualTo(old);
        assertThat(signing(staged, at(31) - 1)).isEqualTo(old);
        assertThat(signing(staged, at(31))).isEqualTo(next);
        assertThat(KeyRotation.plan(staged, at(28), SCHEDULE).isEmpty()).as("a key is waiting: nothing to stage").isTrue();

        assertThat(KeyRotation.plan(staged, at(40), SCHEDULE).isEmpty()).as("the old key's tokens may still be valid").isTrue();
        KeyRotation.Plan retire = KeyRotation.plan(staged, at(41), SCHEDULE);
        assertThat(retire.stage()).isEmpty();
        assertThat(retire.retire()).hasSize(3).contains(old);
        SigningKeys retired = step(staged, at(41));
        assertThat(retired.verification().kids()).hasSize(3).doesNotContain(old).contains(next);

        // The next period counts from when the new key started signing, not from when it was made.
        assertThat(KeyRotation.plan(retired, at(55), SCHEDULE).isEmpty()).isTrue();
        assertThat(KeyRotation.plan(retired, at(56), SCHEDULE).stage()).containsExactly("RS256", "ES256", "EdDSA");
    }

    @Test
    void aKeyMadeByHandWithoutScheduleIsRotatedAtOnceAndNeverRetiredByGuess() throws Exception {
        PublicJsonWebKey a = SigningKeys.generate("ES256", 0);
        PublicJsonWebKey b = SigningKeys.generate("ES256", 0);
        a.setOtherParameter(SigningKeys.CREATED, null);
        SigningKeys byHand = SigningKeys.parse(SigningKeys.write(List.of(a, b)), "t");
        // Without a start time the first key of the algorithm signs, as in a hand-made key file.
        assertThat(byHand.signing("ES256", at(0)).orElseThrow().getKeyId()).isEqualTo(a.getKeyId());
        KeyRotation.Plan plan = KeyRotation.plan(byHand, at(0), SCHEDULE);
        assertThat(plan.stage()).containsExactly("ES256");
        assertThat(plan.retire()).isEmpty();
    }

    @Test
    void theScheduleNeverReachesJwks() {
        SigningKeys staged = step(generated(), at(25));
        assertThat(staged.publicJwks()).doesNotContain(SigningKeys.CREATED).doesNotContain(SigningKeys.SIGNS_FROM);
        assertThat(staged.json()).contains(SigningKeys.CREATED, SigningKeys.SIGNS_FROM);
        assertThat(Set.copyOf(staged.all().stream().map(JsonWebKey::getKeyId).toList())).isEqualTo(staged.verification().kids());
    }
}
