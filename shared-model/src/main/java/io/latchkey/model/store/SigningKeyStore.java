package io.latchkey.model.store;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The signing key set token-service keeps in Redis when no key file is mounted ({@link RedisKeys#signingKeys()}):
 * a JWK set with private parts and each key's schedule, shared by every replica.
 */
@ApplicationScoped
public class SigningKeyStore {

    private static final RedisScript REPLACE = RedisScript.load("replace-signing-keys.lua");

    private final ReactiveRedisDataSource redis;
    private final ReactiveValueCommands<String, String> values;
    private final RedisCalls calls;

    public SigningKeyStore(ReactiveRedisDataSource redis, RedisCalls calls) {
        this.redis = redis;
        this.values = redis.value(String.class);
        this.calls = calls;
    }

    /** The stored set, or null when there is none. */
    public Uni<String> get() {
        return calls.guard("GET", values.get(RedisKeys.signingKeys()));
    }

    /** Stores the set unless one is there already; true when this one was stored. */
    public Uni<Boolean> putIfAbsent(String json) {
        return calls.guard("SETNX", values.setnx(RedisKeys.signingKeys(), json));
    }

    /** Replaces the set only if it is still {@code expected} (one round trip); true when replaced. */
    public Uni<Boolean> replace(String expected, String next) {
        return calls.run(REPLACE, redis, List.of(RedisKeys.signingKeys()), List.of(expected, next))
                .map(r -> r.toLong() == 1L);
    }
}
