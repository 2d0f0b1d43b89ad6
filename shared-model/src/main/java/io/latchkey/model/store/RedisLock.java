package io.latchkey.model.store;

import io.latchkey.model.token.OpaqueToken;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A lease in Redis that at most one replica holds at a time: {@code SET key token NX PX ttl} with a random
 * token, released only by the holder ({@code release-lock.lua} compares the token). It expires by itself, so
 * a replica that dies holding it blocks the others for one {@code ttl} at most. It is a lease, not a fence:
 * whatever it guards must also survive a holder that outlived it (the signing-key rotation writes with a
 * compare-and-set).
 */
@ApplicationScoped
public class RedisLock {

    private static final RedisScript RELEASE = RedisScript.load("release-lock.lua");

    /** A held lock: its key and the holder's token. */
    public record Held(String key, String token) {
    }

    private final ReactiveRedisDataSource redis;
    private final RedisCalls calls;

    public RedisLock(ReactiveRedisDataSource redis, RedisCalls calls) {
        this.redis = redis;
        this.calls = calls;
    }

    /** Takes the lock for {@code ttl} if nobody holds it. */
    public Uni<Optional<Held>> acquire(String key, Duration ttl) {
        String token = OpaqueToken.randomId(16);
        // SET NX answers nil when the key exists: someone else holds the lock.
        return calls.guard("SET", redis.execute("SET", key, token, "NX", "PX", Long.toString(ttl.toMillis())))
                .map(r -> r != null && "OK".equals(r.toString()) ? Optional.of(new Held(key, token)) : Optional.<Held>empty());
    }

    /** Releases the lock if this holder still has it; true when it did. */
    public Uni<Boolean> release(Held held) {
        return calls.run(RELEASE, redis, List.of(held.key()), List.of(held.token())).map(r -> r.toLong() == 1L);
    }
}
