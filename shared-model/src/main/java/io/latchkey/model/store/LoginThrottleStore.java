package io.latchkey.model.store;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/**
 * Failed-login counters, one per account and one per client address ({@link RedisKeys#loginThrottle}).
 * After a number of free failures each further failure doubles the wait before the next attempt, so
 * online password guessing slows to a crawl while a person who mistyped waits seconds.
 */
@ApplicationScoped
public class LoginThrottleStore {

    private static final RedisScript FAILURE = RedisScript.load("login-failure.lua");

    /**
     * How one kind of subject is throttled.
     *
     * @param freeAttempts failures allowed before any wait
     * @param firstDelay   the wait after the first failure beyond the free ones; doubles with each further one
     * @param maxDelay     the longest wait
     * @param window       how long failures are remembered
     */
    public record Policy(int freeAttempts, Duration firstDelay, Duration maxDelay, Duration window) {
    }

    private final ReactiveRedisDataSource redis;
    private final ReactiveHashCommands<String, String, String> hashes;
    private final RedisCalls calls;

    public LoginThrottleStore(ReactiveRedisDataSource redis, RedisCalls calls) {
        this.redis = redis;
        this.hashes = redis.hash(String.class);
        this.calls = calls;
    }

    /** How long this subject must still wait before it may try again; zero when it may try now. */
    public Uni<Duration> waitTime(String kind, String subject) {
        return calls.guard(hashes.hget(RedisKeys.loginThrottle(kind, subject), "until")).map(until -> {
            if (until == null) {
                return Duration.ZERO;
            }
            long left = parse(until) - System.currentTimeMillis();
            return left > 0 ? Duration.ofMillis(left) : Duration.ZERO;
        });
    }

    /** Counts a failure and returns the wait it imposes. */
    public Uni<Duration> recordFailure(String kind, String subject, Policy policy) {
        List<String> args = List.of(
                Integer.toString(policy.freeAttempts()),
                Long.toString(policy.firstDelay().toMillis()),
                Long.toString(policy.maxDelay().toMillis()),
                Long.toString(policy.window().toMillis()),
                Long.toString(System.currentTimeMillis()));
        return calls.guard(FAILURE.run(redis, List.of(RedisKeys.loginThrottle(kind, subject)), args))
                .map(reply -> Duration.ofMillis(reply.toLong()));
    }

    /** Forgets the failures of a subject, after a successful login. */
    public Uni<Void> reset(String kind, String subject) {
        return calls.guard(redis.key(String.class).del(RedisKeys.loginThrottle(kind, subject))).replaceWithVoid();
    }

    private static long parse(String until) {
        try {
            return Long.parseLong(until);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
