package io.latchkey.model.store;

import io.latchkey.model.config.LatchkeyConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The guard every store puts around a Redis call ({@link CallGuard}): the deadline {@code latchkey.redis.timeout},
 * Redis failures as {@link StoreException#unavailable}, timed as {@code latchkey_redis_calls_seconds}.
 */
@ApplicationScoped
public class RedisCalls {

    private final CallGuard guard;

    public RedisCalls(LatchkeyConfig config) {
        this.guard = new CallGuard("redis", "Redis calls of the stores, from sending to answer or deadline",
                () -> config.redis().timeout(), StoreException::unavailable, failure -> false);
    }

    public <T> Uni<T> guard(Uni<T> call) {
        return guard.guard(call);
    }
}
