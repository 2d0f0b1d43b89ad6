package io.latchkey.model.store;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Browsers that have signed in to an account before (OWASP's "device cookie" against lock-out by a third
 * party): the cookie holds a random secret, Redis holds the account it was issued for under the secret's
 * SHA-256 ({@link RedisKeys#trustedDevice}). Such a browser is throttled on its own budget, so guesses from
 * elsewhere cannot lock its owner out.
 */
@ApplicationScoped
public class TrustedDeviceStore {

    private final ReactiveValueCommands<String, String> values;
    private final ReactiveRedisDataSource redis;
    private final RedisCalls calls;

    public TrustedDeviceStore(ReactiveRedisDataSource redis, RedisCalls calls) {
        this.redis = redis;
        this.values = redis.value(String.class);
        this.calls = calls;
    }

    /** The account a device was trusted for, or null. */
    public Uni<String> account(String deviceHash) {
        return calls.guard("GET", values.get(RedisKeys.trustedDevice(deviceHash)));
    }

    public Uni<Void> trust(String deviceHash, String account, Duration lifetime) {
        return calls.guard("PSETEX", values.psetex(RedisKeys.trustedDevice(deviceHash), lifetime.toMillis(), account));
    }

    public Uni<Void> forget(String deviceHash) {
        return calls.guard("DEL", redis.key(String.class).del(RedisKeys.trustedDevice(deviceHash))).replaceWithVoid();
    }
}
