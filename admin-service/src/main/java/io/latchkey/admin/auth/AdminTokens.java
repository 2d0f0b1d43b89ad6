package io.latchkey.admin.auth;

import io.latchkey.admin.auth.AdminAuthException.Reason;
import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.keys.PublishedKeys;
import io.latchkey.model.keys.VerificationKeys;
import io.latchkey.model.store.AccessTokenRevocations;
import io.latchkey.model.token.AccessToken;
import io.latchkey.model.token.AccessTokenRules;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.Key;
import java.util.regex.Pattern;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.JoseException;

/**
 * Checks the bearer token of an admin request (RFC 6750 §2.1): one of Latchkey's access tokens
 * (AccessTokenRules: signature by a key token-service publishes, issuer, audience, expiry), not revoked, with the
 * scope the resource needs. admin-service holds no private key and never calls token-service.
 */
@ApplicationScoped
public class AdminTokens {

    /** RFC 6750 §2.1 b64token. */
    private static final Pattern BEARER = Pattern.compile("(?i)Bearer ([A-Za-z0-9\\-._~+/]+=*)");

    private final PublishedKeys keys;
    private final AccessTokenRevocations revocations;
    private final String issuer;
    private final String audience;

    public AdminTokens(PublishedKeys keys, AccessTokenRevocations revocations, LatchkeyConfig config) {
        this.keys = keys;
        this.revocations = revocations;
        this.issuer = config.issuer();
        this.audience = config.accessTokenAudience();
    }

    /** The token of an {@code Authorization} header value, if it is one of ours, current and carries the scope. */
    public Uni<AccessToken> verify(String authorization, AdminScope scope) {
        if (authorization == null || authorization.isBlank()) {
            return Uni.createFrom().failure(new AdminAuthException(Reason.MISSING, "An access token is required.", scope.value()));
        }
        String token;
        try {
            token = bearerToken(authorization, scope);
        } catch (AdminAuthException e) {
            return Uni.createFrom().failure(e);
        }
        JsonWebSignature jws = new JsonWebSignature();
        try {
            jws.setAlgorithmConstraints(VerificationKeys.CONSTRAINTS);
            jws.setCompactSerialization(token);
            return keys.verifying(jws.getKeyIdHeaderValue(), jws.getAlgorithmHeaderValue())
                    // Checking an ES256 or EdDSA signature costs about as much as making one: off the event loop.
                    .emitOn(Infrastructure.getDefaultWorkerPool())
                    .map(key -> check(token, key.orElseThrow(() -> invalid("The token is not signed by a key of this provider."))))
                    .flatMap(accessToken -> revocations.isRevoked(accessToken.jti(), accessToken.family()).map(revoked -> {
                        if (revoked) {
                            throw invalid("The token was revoked.");
                        }
                        if (!accessToken.hasScope(scope.value())) {
                            throw new AdminAuthException(Reason.INSUFFICIENT_SCOPE,
                                    "The token does not carry the scope " + scope.value() + ".", scope.value());
                        }
                        return accessToken;
                    }));
        } catch (JoseException | ClassCastException e) {
            return Uni.createFrom().failure(invalid("The token is not a JWT access token of this provider."));
        }
    }

    /**
     * The token of a present {@code Authorization: Bearer} header (RFC 6750 §2.1), for a resource that tells tokens
     * apart itself (a registration access token is opaque, an access token a JWT).
     *
     * @param scope for the challenge of a malformed header; null when none is needed
     */
    public static String bearerToken(String authorization, AdminScope scope) {
        var bearer = BEARER.matcher(authorization.strip());
        if (!bearer.matches()) {
            throw new AdminAuthException(Reason.MALFORMED, "The Authorization header is not a Bearer token.",
                    scope == null ? null : scope.value());
        }
        return bearer.group(1);
    }

    private AccessToken check(String token, Key key) {
        try {
            AccessToken accessToken = AccessTokenRules.read(AccessTokenRules.consumer(issuer, audience).setVerificationKey(key).build()
                    .processToClaims(token));
            if (accessToken.dpopJkt().isPresent()) {
                // RFC 9449 §7.2: a DPoP-bound token is never a bearer token, and admin-service takes bearer tokens only.
                throw invalid("The token is bound to a DPoP key; admin-service accepts bearer tokens only.");
            }
            return accessToken;
        } catch (InvalidJwtException e) {
            throw invalid(e.hasExpired() ? "The token has expired." : "The token is not a valid access token of this provider.");
        } catch (MalformedClaimException e) {
            throw invalid("The token is not a valid access token of this provider.");
        }
    }

    private static AdminAuthException invalid(String description) {
        return new AdminAuthException(Reason.INVALID_TOKEN, description, null);
    }
}
