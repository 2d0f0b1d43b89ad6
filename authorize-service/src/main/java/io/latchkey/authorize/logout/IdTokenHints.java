package io.latchkey.authorize.logout;

import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.keys.PublishedKeys;
import io.latchkey.model.keys.VerificationKeys;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.JoseException;

/**
 * Checks the {@code id_token_hint} of a logout request (OIDC RP-Initiated Logout 1.0 §2): our signature,
 * our issuer. An expired ID token is accepted, as §4 allows: logging out with an old token is the common case.
 * The signature is checked with the public keys token-service publishes in Redis (PublishedKeys):
 * authorize-service holds no private key.
 */
@ApplicationScoped
public class IdTokenHints {

    private static final AlgorithmConstraints ALGORITHMS = new AlgorithmConstraints(
            AlgorithmConstraints.ConstraintType.PERMIT, VerificationKeys.ALGORITHMS.toArray(String[]::new));

    /** What a valid hint says: the clients it was issued to and whom it names. */
    public record Hint(List<String> audience, String subject, String sessionId) {
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
            jws.setAlgorithmConstraints(ALGORITHMS);
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
                return new Hint(claims.getAudience(), claims.getSubject(), claims.getStringClaimValue("sid"));
            } catch (JoseException | InvalidJwtException | MalformedClaimException | ClassCastException e) {
                throw invalid("id_token_hint is not a valid ID token.");
            }
        });
    }

    private static OAuthException invalid(String description) {
        return new OAuthException(OAuthError.INVALID_REQUEST, description);
    }
}
