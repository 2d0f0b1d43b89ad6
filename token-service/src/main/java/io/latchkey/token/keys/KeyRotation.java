package io.latchkey.token.keys;

import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.keys.SigningKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * What the rotation of the key set in Redis has to do at an instant, decided from the keys' own schedule
 * ({@link SigningKeys#CREATED}, {@link SigningKeys#SIGNS_FROM}) and nothing else, so any replica reaches the
 * same answer. Per algorithm:
 * <ul>
 * <li><b>stage</b> when the signing key has signed for {@code signing-period} minus {@code publish-ahead} and no
 * key is waiting: a new key whose {@code lk_signs_from} is {@code publish-ahead} from now. It is published from
 * this write on, and every replica switches to it at that instant by the clock, with no second write
 * ("promote" is a time, not a step);</li>
 * <li><b>retire</b> keys older than the signing one once that one has signed for {@code retire-after}: no token
 * they signed is still valid.</li>
 * </ul>
 */
final class KeyRotation {

    record Schedule(Duration signingPeriod, Duration publishAhead, Duration retireAfter) {
        static Schedule of(LatchkeyConfig.Rotation rotation) {
            return new Schedule(rotation.signingPeriod(), rotation.publishAhead(), rotation.retireAfter());
        }
    }

    /** The algorithms to stage a key for and the kids to drop; empty when nothing is due. */
    record Plan(List<String> stage, Set<String> retire) {
        boolean isEmpty() {
            return stage.isEmpty() && retire.isEmpty();
        }
    }

    private KeyRotation() {
    }

    static Plan plan(SigningKeys keys, long nowMillis, Schedule schedule) {
        List<String> stage = new ArrayList<>();
        Set<String> retire = new LinkedHashSet<>();
        for (String alg : algorithms(keys)) {
            Optional<PublicJsonWebKey> signing = keys.signing(alg, nowMillis);
            if (signing.isEmpty()) {
                continue;
            }
            long signsFrom = SigningKeys.signsFrom(signing.get());
            boolean waiting = keys.ofAlgorithm(alg).stream().anyMatch(k -> SigningKeys.signsFrom(k) * 1000 > nowMillis);
            // A key without a start signs since it was made; one without either (made by hand) is due at once.
            long since = signsFrom > 0 ? signsFrom : SigningKeys.created(signing.get()).orElse(0);
            if (!waiting && nowMillis >= since * 1000 + schedule.signingPeriod().minus(schedule.publishAhead()).toMillis()) {
                stage.add(alg);
            }
            if (signsFrom > 0 && nowMillis >= signsFrom * 1000 + schedule.retireAfter().toMillis()) {
                keys.ofAlgorithm(alg).stream().filter(k -> SigningKeys.signsFrom(k) < signsFrom)
                        .map(JsonWebKey::getKeyId).forEach(retire::add);
            }
        }
        return new Plan(List.copyOf(stage), Set.copyOf(retire));
    }

    /** The set after the plan: retired keys removed, a new key per staged algorithm appended (generates keys). */
    static List<PublicJsonWebKey> apply(SigningKeys keys, Plan plan, long nowMillis, Schedule schedule) {
        List<PublicJsonWebKey> next = new ArrayList<>(keys.all().stream().filter(k -> !plan.retire().contains(k.getKeyId())).toList());
        // Rounded up: the key never signs sooner than publish-ahead after this write.
        long signsFrom = (nowMillis + schedule.publishAhead().toMillis() + 999) / 1000;
        for (String alg : plan.stage()) {
            PublicJsonWebKey key = SigningKeys.generate(alg, nowMillis / 1000);
            key.setOtherParameter(SigningKeys.SIGNS_FROM, signsFrom);
            next.add(key);
        }
        return next;
    }

    private static Set<String> algorithms(SigningKeys keys) {
        Set<String> algs = new LinkedHashSet<>();
        keys.all().forEach(k -> algs.add(k.getAlgorithm()));
        return algs;
    }
}
