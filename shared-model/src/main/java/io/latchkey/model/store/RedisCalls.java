package io.latchkey.model.store;

import io.latchkey.model.config.LatchkeyConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeoutException;

/**
 * The guard every store puts around a Redis call: a deadline, so a paused or unreachable Redis fails
 * the request quickly instead of holding it, and one translation of Redis failures into
 * {@link StoreException}.
 */
@ApplicationScoped
public class RedisCalls {

    private final LatchkeyConfig config;

    public RedisCalls(LatchkeyConfig config) {
        this.config = config;
    }

    public <T> Uni<T> guard(Uni<T> call) {
        return call
                .ifNoItem().after(config.redis().timeout())
                .failWith(() -> new TimeoutException("no answer from Redis within " + config.redis().timeout()))
                .onFailure(f -> !(f instanceof StoreException))
                .transform(StoreException::unavailable);
    }
}
