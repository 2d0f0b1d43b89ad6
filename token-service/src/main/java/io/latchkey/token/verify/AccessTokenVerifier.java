package io.latchkey.token.verify;

import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.keys.SigningKeys;
import io.latchkey.model.store.AccessTokenRevocations;
import io.latchkey.model.token.AccessToken;
import io.latchkey.model.token.AccessTokenRules;
import io.latchkey.token.keys.KeyRing;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;

/**
 * Checks an access token as a resource server must (RFC 9068 §4): a JWS by one of our keys (by kid, with
 * the algorithm that key is for, VerificationKeys#verifying; {@code alg: none} and every other algorithm
 * refused), as AccessTokenRules describes; then that it was not revoked.
 * Checking an ES256 or EdDSA signature costs about as much as making one (docs/token-leg.md, "Cost"), so the
 * check runs on a worker thread like signing does.
 */
@ApplicationScoped
public class AccessTokenVerifier {

    /** What is wrong with a token that did not verify. */
    public enum Problem {
        INVALID,
        EXPIRED,
        REVOKED
    }

    /** A verification result: the token, or why it is not acceptable. */
    public record Result(Optional<AccessToken> token, Problem problem) {
        static Result of(AccessToken token) {
            return new Result(Optional.of(token), null);
        }

        static Result failed(Problem problem) {
            return new Result(Optional.empty(), problem);
        }
    }

    private final KeyRing keyRing;
    private final AccessTokenRevocations revocations;
    private final String issuer;
    private final String audience;

    public AccessTokenVerifier(KeyRing keyRing, AccessTokenRevocations revocations, LatchkeyConfig config) {
        this.keyRing = keyRing;
        this.revocations = revocations;
        this.issuer = config.issuer();
        this.audience = config.accessTokenAudience();
    }

    /** A token that is well signed, current and not revoked; anything else is a failed result. */
    public Uni<Result> verify(String token) {
        return keyRing.keys().flatMap(keys -> Uni.createFrom().item(() -> verifySignedClaims(keys, token))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())).flatMap(signed -> {
            if (signed.token().isEmpty()) {
                return Uni.createFrom().item(signed);
            }
            AccessToken accessToken = signed.token().get();
            return revocations.isRevoked(accessToken.jti(), accessToken.family())
                    .map(revoked -> revoked ? Result.failed(Problem.REVOKED) : signed);
        });
    }

    Result verifySignedClaims(SigningKeys keys, String token) {
        JwtConsumer consumer = AccessTokenRules.consumer(issuer, audience)
                .setVerificationKeyResolver(keys.verification().resolver())
                .build();
        try {
            return Result.of(AccessTokenRules.read(consumer.processToClaims(token)));
        } catch (InvalidJwtException e) {
            return Result.failed(e.hasExpired() ? Problem.EXPIRED : Problem.INVALID);
        } catch (MalformedClaimException e) {
            return Result.failed(Problem.INVALID);
        }
    }
}
