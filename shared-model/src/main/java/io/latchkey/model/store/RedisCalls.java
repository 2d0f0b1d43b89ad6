package io.latchkey.model.store;

import io.latchkey.model.config.LatchkeyConfig;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * The guard every store puts around a Redis call: a deadline, so a paused or unreachable Redis fails
 * the request quickly instead of holding it, and one translation of Redis failures into
 * {@link StoreException}. Being the one place every call passes, it also times them:
 * {@code latchkey_redis_calls_seconds{outcome="ok"|"unavailable"|"error"}} at /q/metrics, in the registry
 * Quarkus adds to Micrometer's global one (a no-op where no registry is, as in plain unit tests).
 */
@ApplicationScoped
public class RedisCalls {

    private static final Timer OK = timer("ok");
    private static final Timer UNAVAILABLE = timer("unavailable");
    private static final Timer ERROR = timer("error");

    private final LatchkeyConfig config;

    public RedisCalls(LatchkeyConfig config) {
        this.config = config;
    }

    public <T> Uni<T> guard(Uni<T> call) {
        return Uni.createFrom().deferred(() -> {
            Timer.Sample sample = Timer.start();
            return call
                    .ifNoItem().after(config.redis().timeout())
                    .failWith(() -> new TimeoutException("no answer from Redis within " + config.redis().timeout()))
                    .onFailure(f -> !(f instanceof StoreException))
                    .transform(StoreException::unavailable)
                    .onItemOrFailure().invoke((item, failure) -> sample.stop(outcome(failure)));
        });
    }

    private static Timer outcome(Throwable failure) {
        if (failure == null) {
            return OK;
        }
        return failure instanceof StoreException e && e.kind() == StoreException.Kind.UNAVAILABLE ? UNAVAILABLE : ERROR;
    }

    private static Timer timer(String outcome) {
        return Timer.builder("latchkey.redis.calls")
                .description("Redis calls of the stores, from sending to answer or deadline")
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(5))
                .register(Metrics.globalRegistry);
    }
}
