package io.latchkey.authorize.logout;

import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.keys.PublishedKeys;
import io.latchkey.model.keys.VerificationKeys;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwx.HeaderParameterNames;
import org.jose4j.lang.JoseException;

/**
 * Checks the {@code id_token_hint} of a logout request (OIDC RP-Initiated Logout 1.0 §2): our signature,
 * our issuer. An expired ID token is accepted, as §4 allows: logging out with an old token is the common case.
 * The signature is checked with the public keys token-service publishes in Redis (PublishedKeys):
 * authorize-service holds no private key.
 */
@ApplicationScoped
public class IdTokenHints {


    /**
     * What a valid hint says: the clients it was issued to and whom it names. {@code idToken} is false for one of
     * our access tokens (same keys, same issuer), which names no session and must not stand for a hint.
     */
    public record Hint(List<String> audience, String subject, String sessionId, boolean idToken) {
    }

    private final PublishedKeys keys;
    private final LatchkeyConfig config;

    public IdTokenHints(PublishedKeys keys, LatchkeyConfig config) {
        this.keys = keys;
        this.config = config;
    }

    public Uni<Hint> verify(String idToken) {
        JsonWebSignature jws = new JsonWebSignature();
        String kid;
        String alg;
        try {
            jws.setAlgorithmConstraints(VerificationKeys.CONSTRAINTS);
            jws.setCompactSerialization(idToken);
            kid = jws.getKeyIdHeaderValue();
            alg = jws.getAlgorithmHeaderValue();
        } catch (JoseException | ClassCastException e) {
            return Uni.createFrom().failure(invalid("id_token_hint is not a valid ID token."));
        }
        return keys.verifying(kid, alg).map(key -> {
            try {
                jws.setKey(key.orElseThrow(() -> invalid("id_token_hint is not signed by a key of this provider.")));
                if (!jws.verifySignature()) {
                    throw invalid("id_token_hint has an invalid signature.");
                }
                JwtClaims claims = JwtClaims.parse(jws.getPayload());
                if (!config.issuer().equals(claims.getIssuer())) {
                    throw invalid("id_token_hint was not issued by this provider.");
                }
                return new Hint(claims.getAudience(), claims.getSubject(), claims.getStringClaimValue("sid"),
                        isIdTokenType(jws.getHeader(HeaderParameterNames.TYPE)));
            } catch (JoseException | InvalidJwtException | MalformedClaimException | ClassCastException e) {
                throw invalid("id_token_hint is not a valid ID token.");
            }
        });
    }

    /**
     * token-service types its ID tokens {@code JWT} and its access tokens {@code at+jwt} (RFC 9068 §2.1), both
     * signed by the same keys; an access token must never pass for a hint. Media types compare without regard
     * to case, and an {@code application/} prefix may be left out (RFC 7515 §4.1.9).
     */
    static boolean isIdTokenType(String typ) {
        return typ == null || typ.equalsIgnoreCase("JWT") || typ.equalsIgnoreCase("application/jwt");
    }

    private static OAuthException invalid(String description) {
        return new OAuthException(OAuthError.INVALID_REQUEST, description);
    }
}
