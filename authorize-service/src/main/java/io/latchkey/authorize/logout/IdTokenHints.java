package io.latchkey.authorize.logout;

import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.keys.KeyRing;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwx.HeaderParameterNames;
import org.jose4j.lang.JoseException;

/**
 * Checks the {@code id_token_hint} of a logout request (OIDC RP-Initiated Logout 1.0 §2): our signature,
 * our issuer. An expired ID token is accepted, as §4 allows: logging out with an old token is the common case.
 */
@ApplicationScoped
public class IdTokenHints {

    private static final AlgorithmConstraints ALGORITHMS =
            new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, "RS256", "ES256", "EdDSA");

    /**
     * What a valid hint says: the clients it was issued to and whom it names. {@code idToken} is false for one of
     * our access tokens (same keys, same issuer), which names no session and must not stand for a hint.
     */
    public record Hint(List<String> audience, String subject, String sessionId, boolean idToken) {
    }

    private final KeyRing keyRing;
    private final LatchkeyConfig config;

    public IdTokenHints(KeyRing keyRing, LatchkeyConfig config) {
        this.keyRing = keyRing;
        this.config = config;
    }

    public Uni<Hint> verify(String idToken) {
        return keyRing.keys().map(keys -> {
            try {
                JsonWebSignature jws = new JsonWebSignature();
                jws.setAlgorithmConstraints(ALGORITHMS);
                jws.setCompactSerialization(idToken);
                PublicJsonWebKey key = keys.byKid(jws.getKeyIdHeaderValue())
                        .orElseThrow(() -> invalid("id_token_hint is not signed by a key of this provider."));
                if (!key.getAlgorithm().equals(jws.getAlgorithmHeaderValue())) {
                    throw invalid("id_token_hint is not signed by a key of this provider.");
                }
                jws.setKey(key.getPublicKey());
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
