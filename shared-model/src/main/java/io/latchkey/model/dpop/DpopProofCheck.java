package io.latchkey.model.dpop;

import io.latchkey.model.token.OpaqueToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.HashUtil;
import org.jose4j.lang.JoseException;

/**
 * The checks of RFC 9449 §4.3 that need nothing but the proof and the request (steps 1 to 9 and 11, and 12's
 * {@code ath}); the nonce (step 10) and single use (§11.1) are {@link DpopProofs}'. Pure and cheap: one signature
 * verification, made once the header has passed every other check.
 */
final class DpopProofCheck {

    /** Far above a proof with an RSA-4096 key, an access token hash and a nonce (about 2 KB); a bound on what is parsed. */
    static final int MAX_PROOF_LENGTH = 8192;
    /** RFC 9449 §11.1: a server that tracks jti values should refuse needlessly large ones; 96 random bits need 16 characters. */
    static final int MAX_JTI_LENGTH = 256;
    private static final AlgorithmConstraints ALGORITHMS =
            new AlgorithmConstraints(ConstraintType.PERMIT, Dpop.SIGNING_ALGORITHMS.toArray(String[]::new));
    /** RFC 7517/7518 private members: a proof's jwk is the public key alone (RFC 9449 §4.3 step 7). */
    private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    private DpopProofCheck() {
    }

    /**
     * @param accessToken the token presented with the proof at a protected resource, whose hash {@code ath} must be;
     *                    null at the token endpoint, where a proof carries no {@code ath}
     * @throws DpopException invalid_dpop_proof, saying which check failed
     */
    static DpopProof check(String compact, DpopTarget target, String accessToken, long nowSeconds, long lifetimeSeconds,
            long skewSeconds) {
        if (compact.length() > MAX_PROOF_LENGTH) {
            throw DpopException.invalid("The DPoP proof is too large.");
        }
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setCompactSerialization(compact);
            if (!Dpop.PROOF_TYPE.equals(jws.getHeader("typ"))) {
                throw DpopException.invalid("The DPoP proof's typ must be dpop+jwt.");
            }
            String alg = jws.getAlgorithmHeaderValue();
            if (alg == null || !Dpop.SIGNING_ALGORITHMS.contains(alg)) {
                throw DpopException.invalid("The DPoP proof's alg must be one of " + String.join(", ", Dpop.SIGNING_ALGORITHMS) + ".");
            }
            PublicJsonWebKey key = publicKey(jws.getHeaders().getObjectHeaderValue("jwk"));
            jws.setAlgorithmConstraints(ALGORITHMS);
            jws.setKey(key.getPublicKey());
            if (!jws.verifySignature()) {
                throw DpopException.invalid("The DPoP proof's signature does not verify with its jwk.");
            }
            JwtClaims claims = JwtClaims.parse(jws.getUnverifiedPayload());
            String jti = required(claims, "jti");
            if (jti.length() > MAX_JTI_LENGTH) {
                throw DpopException.invalid("The DPoP proof's jti is too long.");
            }
            if (!target.method().equals(required(claims, "htm"))) {
                throw DpopException.invalid("The DPoP proof was made for another HTTP method (htm).");
            }
            Optional<String> htu = HttpUris.normalize(required(claims, "htu"));
            if (htu.isEmpty() || !htu.get().equals(target.uri())) {
                throw DpopException.invalid("The DPoP proof was made for another URL (htu).");
            }
            NumericDate issuedAt = claims.getIssuedAt();
            if (issuedAt == null) {
                throw DpopException.invalid("The DPoP proof has no iat.");
            }
            long iat = issuedAt.getValue();
            if (iat < nowSeconds - lifetimeSeconds || iat > nowSeconds + skewSeconds) {
                throw DpopException.invalid("The DPoP proof's iat is too old or in the future.");
            }
            checkTokenHash(claims.getClaimValue("ath", String.class), accessToken);
            Optional<String> nonce = Optional.ofNullable(claims.getClaimValue("nonce", String.class));
            return new DpopProof(key.calculateBase64urlEncodedThumbprint(HashUtil.SHA_256), jti, iat, nonce);
        } catch (JoseException | InvalidJwtException | MalformedClaimException | IllegalArgumentException | ClassCastException e) {
            throw DpopException.invalid("The DPoP proof is not a well-formed signed JWT.");
        }
    }

    /** RFC 9449 §4.2: {@code jwk} is a public JWK; a private key or a symmetric one is refused. */
    private static PublicJsonWebKey publicKey(Object jwk) throws JoseException {
        if (!(jwk instanceof Map<?, ?> members)) {
            throw DpopException.invalid("The DPoP proof has no jwk header.");
        }
        if (members.keySet().stream().anyMatch(PRIVATE_MEMBERS::contains)) {
            throw DpopException.invalid("The DPoP proof's jwk must not contain a private key.");
        }
        @SuppressWarnings("unchecked")
        PublicJsonWebKey key = PublicJsonWebKey.Factory.newPublicJwk((Map<String, Object>) members);
        if (key.getPrivateKey() != null || key.getPublicKey() == null) {
            throw DpopException.invalid("The DPoP proof's jwk must be a public key.");
        }
        return key;
    }

    private static String required(JwtClaims claims, String name) throws MalformedClaimException {
        String value = claims.getClaimValue(name, String.class);
        if (value == null || value.isEmpty()) {
            throw DpopException.invalid("The DPoP proof has no " + name + ".");
        }
        return value;
    }

    /** RFC 9449 §4.3 step 12 and §7: with an access token, ath is its hash; without one there is none to check. */
    private static void checkTokenHash(String ath, String accessToken) {
        if (accessToken == null) {
            if (ath != null) {
                throw DpopException.invalid("The DPoP proof has an ath, but no access token was presented.");
            }
            return;
        }
        if (ath == null) {
            throw DpopException.invalid("The DPoP proof has no ath.");
        }
        if (!MessageDigest.isEqual(ath.getBytes(StandardCharsets.US_ASCII), tokenHash(accessToken).getBytes(StandardCharsets.US_ASCII))) {
            throw DpopException.invalid("The DPoP proof was made for another access token (ath).");
        }
    }

    /** RFC 9449 §4.2: BASE64URL(SHA-256(ASCII(access token))). */
    static String tokenHash(String accessToken) {
        // An access token is ASCII, so its UTF-8 bytes are its ASCII bytes.
        return OpaqueToken.sha256(accessToken);
    }
}
