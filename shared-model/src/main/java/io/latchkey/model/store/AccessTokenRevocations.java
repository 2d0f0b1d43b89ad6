package io.latchkey.model.store;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Revocation of JWT access tokens, which are otherwise valid until they expire. A token is revoked when
 * its {@code jti} is on the deny-list (RFC 7009 §2, kept only until the token would have expired anyway),
 * or when the grant family it was issued from has been revoked (a replayed code, a reused refresh token,
 * a revoked refresh token: RFC 7009 §2.1 asks that tokens of the same grant stop working too).
 */
@ApplicationScoped
public class AccessTokenRevocations {

    /** The revoked flag of the family hash, as the family scripts write it. */
    private static final String REVOKED_FIELD = "revoked";
    private static final RedisScript REVOKE_FAMILY = RedisScript.load("revoke-family-access-tokens.lua");

    private final ReactiveRedisDataSource redis;
    private final ReactiveValueCommands<String, String> values;
    private final ReactiveHashCommands<String, String, String> hashes;
    private final RedisCalls calls;

    public AccessTokenRevocations(ReactiveRedisDataSource redis, RedisCalls calls) {
        this.redis = redis;
        this.values = redis.value(String.class);
        this.hashes = redis.hash(String.class);
        this.calls = calls;
    }

    /** Denies the token with this jti for the time it has left; an already expired token needs nothing. */
    public Uni<Void> revoke(String jti, Duration remaining) {
        if (remaining.isNegative() || remaining.isZero()) {
            return Uni.createFrom().voidItem();
        }
        return calls.guard("PSETEX", values.psetex(RedisKeys.revokedAccessToken(jti), remaining.toMillis(), "1"));
    }

    /**
     * Revokes every access token issued from a grant family, also when the family has no refresh tokens
     * and so no record yet (RFC 6749 §4.1.2: a replayed code revokes what it issued). A record created
     * here lives for {@code tokenLifetime}, the longest its access tokens can live.
     */
    public Uni<Void> revokeFamily(String family, Duration tokenLifetime) {
        return calls.run(REVOKE_FAMILY, redis, List.of(RedisKeys.family(family)),
                List.of(Long.toString(Math.max(1, tokenLifetime.toMillis())))).replaceWithVoid();
    }

    /**
     * Whether the token with this jti, issued from this grant family (if any), has been revoked. The two
     * reads go out together: one round trip of latency.
     */
    public Uni<Boolean> isRevoked(String jti, Optional<String> family) {
        Uni<Boolean> denied = calls.guard("GET", values.get(RedisKeys.revokedAccessToken(jti))).map(v -> v != null);
        if (family.isEmpty()) {
            return denied;
        }
        Uni<Boolean> familyRevoked = calls.guard("HGET", hashes.hget(RedisKeys.family(family.get()), REVOKED_FIELD))
                .map("1"::equals);
        return Uni.combine().all().unis(denied, familyRevoked).with((a, b) -> a || b);
    }
}
