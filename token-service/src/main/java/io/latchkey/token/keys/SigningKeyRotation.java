package io.latchkey.token.keys;

import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.keys.SigningKeys;
import io.latchkey.model.store.RedisKeys;
import io.latchkey.model.store.RedisLock;
import io.latchkey.model.store.SigningKeyStore;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * The rotation job of the key set in Redis, run by every replica after each reload ({@link KeyRing}). Most
 * ticks end at the local check ({@link KeyRotation#plan} on the keys already loaded: no Redis call). When a
 * step is due, the replica that gets the lease {@link RedisKeys#signingKeyRotationLock()} reads the set again,
 * plans again on what it read, generates keys on a worker thread and writes the result only if the set is
 * still the one it read, then gives the lease back. The lease keeps replicas from generating keys for nothing;
 * the compare-and-set keeps a replica that stalled past the lease from undoing another's step.
 */
@ApplicationScoped
public class SigningKeyRotation {

    private static final Logger LOG = Logger.getLogger(SigningKeyRotation.class);
    /** Far longer than one step (an RSA key is generated in well under a second), short enough to outlive a dead holder briefly. */
    static final Duration LEASE = Duration.ofSeconds(30);

    private final SigningKeyStore store;
    private final RedisLock lock;
    private final KeyRotation.Schedule schedule;

    public SigningKeyRotation(SigningKeyStore store, RedisLock lock, LatchkeyConfig config) {
        this.store = store;
        this.lock = lock;
        this.schedule = KeyRotation.Schedule.of(config.keys().rotation());
    }

    /** Runs a due step; the new set's JSON when this replica wrote one. */
    Uni<Optional<String>> run(SigningKeys loaded) {
        if (KeyRotation.plan(loaded, System.currentTimeMillis(), schedule).isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return lock.acquire(RedisKeys.signingKeyRotationLock(), LEASE).flatMap(held -> {
            if (held.isEmpty()) {
                return Uni.createFrom().item(Optional.<String>empty());
            }
            return step().eventually(() -> lock.release(held.get()).onFailure().recoverWithItem(false));
        });
    }

    private record Step(KeyRotation.Plan plan, long atMillis, List<String> staged, String json) {
    }

    private Uni<Optional<String>> step() {
        return store.get().flatMap(stored -> {
            if (stored == null) {
                return Uni.createFrom().item(Optional.<String>empty());
            }
            return Uni.createFrom().item(() -> next(stored)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .flatMap(step -> step == null ? Uni.createFrom().item(Optional.<String>empty())
                            : store.replace(stored, step.json()).map(replaced -> {
                                if (!replaced) {
                                    return Optional.<String>empty();
                                }
                                log(step);
                                return Optional.of(step.json());
                            }));
        });
    }

    /** The planned step on the set as read, keys generated; null when nothing is due. */
    private Step next(String stored) {
        SigningKeys keys = SigningKeys.parse(stored, "Redis key " + RedisKeys.signingKeys());
        long now = System.currentTimeMillis();
        KeyRotation.Plan plan = KeyRotation.plan(keys, now, schedule);
        if (plan.isEmpty()) {
            return null;
        }
        List<PublicJsonWebKey> next = KeyRotation.apply(keys, plan, now, schedule);
        List<String> staged = next.stream().map(JsonWebKey::getKeyId).filter(kid -> !keys.verification().has(kid)).toList();
        return new Step(plan, now, staged, SigningKeys.write(next));
    }

    private void log(Step step) {
        if (!step.plan().stage().isEmpty()) {
            LOG.infof("Signing key rotation: staged %s (%s), published now, signing from %s", step.staged(), step.plan().stage(),
                    Instant.ofEpochMilli(step.atMillis()).plus(schedule.publishAhead()));
        }
        if (!step.plan().retire().isEmpty()) {
            LOG.infof("Signing key rotation: retired keys %s", step.plan().retire());
        }
    }
}
