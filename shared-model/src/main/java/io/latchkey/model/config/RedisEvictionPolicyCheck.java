package io.latchkey.model.config;

import io.latchkey.model.config.LatchkeyConfig.EvictionPolicyCheck;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Refuses to start a service on a Redis that may evict keys. Latchkey keeps security decisions in Redis
 * with a TTL (revoked access tokens, used-code tombstones, rotated refresh tokens, login throttles); under
 * any {@code maxmemory-policy} but {@code noeviction} a full Redis deletes them early and silently, which
 * revives revoked tokens and lifts throttles (managed Redis services default to {@code volatile-lru}).
 * With noeviction a full Redis refuses writes instead, which the services answer with 503.
 *
 * <p>The policy is read with {@code CONFIG GET maxmemory-policy} (one round trip at start-up), or from
 * {@code INFO memory} where CONFIG is renamed or forbidden, as managed services do. A Redis that does not
 * answer is asked again for up to 30 s (a first connection on a busy node can take seconds). What happens when it
 * is wrong or unreadable is {@code latchkey.redis.eviction-policy-check}: enforce (refuse to start) or
 * warn (one WARN line).
 */
@ApplicationScoped
public class RedisEvictionPolicyCheck {

    private static final Logger LOG = Logger.getLogger(RedisEvictionPolicyCheck.class);

    public static final String REQUIRED = "noeviction";
    static final String SETTING = "latchkey.redis.eviction-policy-check";
    private static final String CONFIG_NAME = "maxmemory-policy";
    private static final String INFO_FIELD = "maxmemory_policy:";
    /** How long start-up waits for Redis to answer at all. */
    static final Duration START_UP_WAIT = Duration.ofSeconds(30);

    private final ReactiveRedisDataSource redis;
    private final LatchkeyConfig config;

    public RedisEvictionPolicyCheck(ReactiveRedisDataSource redis, LatchkeyConfig config) {
        this.redis = redis;
        this.config = config;
    }

    /** Before any other start-up work touches Redis (the realm import writes to it). */
    void onStart(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE) StartupEvent event) {
        check(config.redis().evictionPolicyCheck());
    }

    /**
     * Reads the policy and applies {@code mode}: returns what was found when it is noeviction, or in warn
     * mode after logging; throws in enforce mode.
     */
    public Optional<String> check(EvictionPolicyCheck mode) {
        Optional<String> policy;
        String unreadable = null;
        try {
            policy = read().await().atMost(START_UP_WAIT.plusSeconds(1));
        } catch (RuntimeException e) {
            policy = Optional.empty();
            unreadable = "Redis did not answer within " + START_UP_WAIT.toSeconds() + " s: " + e;
        }
        if (policy.isPresent() && REQUIRED.equals(policy.get())) {
            LOG.debugf("Redis maxmemory-policy is %s", REQUIRED);
            return policy;
        }
        String problem = policy.isPresent()
                ? "Redis maxmemory-policy is " + policy.get() + ": a full Redis would silently evict revoked tokens, "
                        + "used-code tombstones and login throttles. Set maxmemory-policy noeviction"
                : "Redis maxmemory-policy cannot be read (neither CONFIG GET nor INFO memory answered"
                        + (unreadable == null ? "" : ": " + unreadable) + "). Make sure it is noeviction";
        if (mode == EvictionPolicyCheck.WARN) {
            LOG.warnf("%s. Starting anyway because %s=warn.", problem, SETTING);
            return policy;
        }
        throw new IllegalStateException(problem + ", or set " + SETTING + "=warn where the policy cannot be read "
                + "and is known to be noeviction.");
    }

    /**
     * CONFIG GET, else INFO memory; empty when Redis refuses both (renamed or forbidden commands). A Redis
     * that does not answer yet (a first connection on a busy node) is asked again until {@link #START_UP_WAIT}.
     */
    Uni<Optional<String>> read() {
        Duration deadline = config.redis().timeout();
        return ask("CONFIG", "GET", CONFIG_NAME).map(reply -> reply.flatMap(RedisEvictionPolicyCheck::fromConfigGet))
                .flatMap(fromConfig -> fromConfig.isPresent()
                        ? Uni.createFrom().item(fromConfig)
                        : ask("INFO", "memory").map(reply -> reply.flatMap(info -> fromInfo(info.toString()))))
                .ifNoItem().after(deadline).fail()
                .onFailure(f -> !(f instanceof io.vertx.redis.client.Response))
                .retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(1)).expireIn(START_UP_WAIT.toMillis());
    }

    /** The reply, or empty when Redis answers with an error (ERR unknown command, NOPERM). */
    private Uni<Optional<Response>> ask(String command, String... arguments) {
        // A Redis error reply fails the Uni with a Throwable that is itself a Response.
        return redis.execute(command, arguments).map(Optional::ofNullable)
                .onFailure(f -> f instanceof io.vertx.redis.client.Response).recoverWithItem(Optional.empty());
    }

    /** CONFIG GET answers [name, value] (RESP2) or {name: value} (RESP3). */
    static Optional<String> fromConfigGet(Response reply) {
        if (reply.type() != ResponseType.MULTI) {
            return Optional.empty();
        }
        // Vert.x reads a map and an even-length array of pairs alike.
        return reply.containsKey(CONFIG_NAME) ? Optional.of(reply.get(CONFIG_NAME).toString()) : Optional.empty();
    }

    static Optional<String> fromInfo(String info) {
        if (info == null) {
            return Optional.empty();
        }
        return info.lines()
                .filter(line -> line.startsWith(INFO_FIELD))
                .map(line -> line.substring(INFO_FIELD.length()).trim())
                .findFirst();
    }
}
