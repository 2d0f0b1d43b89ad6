package io.latchkey.model.store;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The guard around every call to one store (Redis, the PostgreSQL directory): a deadline, so a paused or
 * unreachable store fails the request quickly instead of holding it; one translation of the store's failures
 * into {@link StoreException}; and a timer, {@code latchkey_<store>_calls_seconds{outcome="ok"|"unavailable"|"error"}}
 * at /q/metrics, in the registry Quarkus adds to Micrometer's global one (a no-op where none is, as in plain
 * unit tests). A {@link CallerFailure} raised inside the call is the caller's answer and passes as it is.
 */
public final class CallGuard {

    private final String store;
    private final Supplier<Duration> deadline;
    private final Function<Throwable, StoreException> unavailable;
    private final Predicate<Throwable> answered;
    private final Timer ok;
    private final Timer unavailableTimer;
    private final Timer error;

    /**
     * @param answered failures that are the store's answer, not an outage (a constraint violation): passed on as
     *                 they are
     */
    public CallGuard(String store, String description, Supplier<Duration> deadline,
            Function<Throwable, StoreException> unavailable, Predicate<Throwable> answered) {
        this.store = store;
        this.deadline = deadline;
        this.unavailable = unavailable;
        this.answered = answered;
        this.ok = timer(store, description, "ok");
        this.unavailableTimer = timer(store, description, "unavailable");
        this.error = timer(store, description, "error");
    }

    public <T> Uni<T> guard(Uni<T> call) {
        return Uni.createFrom().deferred(() -> {
            Timer.Sample sample = Timer.start();
            Duration limit = deadline.get();
            return call
                    .ifNoItem().after(limit)
                    .failWith(() -> new TimeoutException("no answer from " + store + " within " + limit))
                    .onFailure(f -> !(f instanceof StoreException) && !(f instanceof CallerFailure) && !answered.test(f))
                    .transform(unavailable)
                    .onItemOrFailure().invoke((item, failure) -> sample.stop(outcome(failure)));
        });
    }

    private Timer outcome(Throwable failure) {
        if (failure == null) {
            return ok;
        }
        return failure instanceof StoreException e && e.kind() == StoreException.Kind.UNAVAILABLE ? unavailableTimer : error;
    }

    private static Timer timer(String store, String description, String outcome) {
        return Timer.builder("latchkey." + store + ".calls")
                .description(description)
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(5))
                .register(Metrics.globalRegistry);
    }
}
