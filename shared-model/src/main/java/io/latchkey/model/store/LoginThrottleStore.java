package io.latchkey.model.store;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/**
 * Login budgets, one per account, per client address and per trusted device ({@link RedisKeys#loginThrottle}).
 * After a number of free attempts each further failure doubles the wait before the next attempt, so online
 * password guessing slows to a crawl while a person who mistyped waits seconds.
 *
 * <p>An attempt is counted <em>before</em> its password is checked ({@link #reserve}), in the same script that
 * decides whether it may go ahead: a burst of parallel guesses cannot all pass the check before the first
 * failure is counted. A success gives its count back ({@link #release}) or starts afresh ({@link #reset}).
 */
@ApplicationScoped
public class LoginThrottleStore {

    private static final RedisScript ATTEMPT = RedisScript.load("login-attempt.lua");
    private static final RedisScript RELEASE = RedisScript.load("login-release.lua");

    /**
     * How one kind of subject is throttled.
     *
     * @param freeAttempts attempts allowed before any wait
     * @param firstDelay   the wait after the first failure beyond the free ones; doubles with each further one
     * @param maxDelay     the longest wait
     * @param window       how long failures are remembered
     */
    public record Policy(int freeAttempts, Duration firstDelay, Duration maxDelay, Duration window) {
    }

    /**
     * The answer to {@link #reserve}: either the attempt may go ahead and is already counted as a failure
     * ({@code admitted}; {@code delay} is the wait that failure imposes on the next attempt), or it must
     * wait {@code delay} and counted nothing.
     *
     * @param until epoch milliseconds until which the budget is closed; identifies the reservation on release
     */
    public record Reservation(String kind, String subject, boolean admitted, Duration delay, long until) {
    }

    private final ReactiveRedisDataSource redis;
    private final RedisCalls calls;

    public LoginThrottleStore(ReactiveRedisDataSource redis, RedisCalls calls) {
        this.redis = redis;
        this.calls = calls;
    }

    /** Admits one attempt against the budget of {@code subject} and counts it, or refuses it (one round trip). */
    public Uni<Reservation> reserve(String kind, String subject, Policy policy) {
        List<String> args = List.of(
                Integer.toString(policy.freeAttempts()),
                Long.toString(policy.firstDelay().toMillis()),
                Long.toString(policy.maxDelay().toMillis()),
                Long.toString(policy.window().toMillis()),
                Long.toString(System.currentTimeMillis()));
        return calls.run(ATTEMPT, redis, List.of(RedisKeys.loginThrottle(kind, subject)), args)
                .map(reply -> new Reservation(kind, subject, reply.get(0).toInteger() == 1,
                        Duration.ofMillis(reply.get(1).toLong()), reply.get(2).toLong()));
    }

    /** Gives back the count of an admitted attempt that succeeded, lifting the wait it set. */
    public Uni<Void> release(Reservation reservation) {
        if (!reservation.admitted()) {
            return Uni.createFrom().voidItem();
        }
        List<String> args = List.of(Long.toString(reservation.until()), Long.toString(System.currentTimeMillis()));
        return calls.run(RELEASE, redis, List.of(RedisKeys.loginThrottle(reservation.kind(), reservation.subject())), args)
                .replaceWithVoid();
    }

    /** Forgets every failure of a subject, after a successful login. */
    public Uni<Void> reset(String kind, String subject) {
        return calls.guard("DEL", redis.key(String.class).del(RedisKeys.loginThrottle(kind, subject))).replaceWithVoid();
    }
}
