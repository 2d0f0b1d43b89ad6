package io.latchkey.bench.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

/**
 * The bench's own DPoP proofs, read by another JOSE library (jose4j, which token-service signs with): a proof a
 * server accepts is what the DPoP rows measure, so a malformed one would measure refusals.
 */
class DpopKeyTest {

    private static final String TOKEN_URL = "http://127.0.0.1:8081/token";

    @Test
    void proofIsAnEs256DpopJwtSignedByTheKeyInItsHeaderWithTheRequestsClaims() throws Exception {
        DpopKey key = DpopKey.generate();
        String proof = key.proof("POST", TOKEN_URL, null);

        JsonWebSignature jws = (JsonWebSignature) JsonWebSignature.fromCompactSerialization(proof);
        assertThat(jws.getHeader("typ")).isEqualTo("dpop+jwt");
        assertThat(jws.getAlgorithmHeaderValue()).isEqualTo("ES256");
        PublicJsonWebKey jwk = jws.getJwkHeader();
        assertThat(jwk.getKeyType()).isEqualTo("EC");
        assertThat(jwk.getPrivateKey()).isNull();
        jws.setKey(jwk.getPublicKey());
        assertThat(jws.verifySignature()).isTrue();
        // RFC 7638: the thumbprint the bench sends as dpop_jkt is the one a server computes from the proof's key.
        assertThat(key.thumbprint()).isEqualTo(jwk.calculateBase64urlEncodedThumbprint("SHA-256"));

        JwtClaims claims = JwtClaims.parse(jws.getPayload());
        assertThat(claims.getStringClaimValue("htm")).isEqualTo("POST");
        assertThat(claims.getStringClaimValue("htu")).isEqualTo(TOKEN_URL);
        assertThat(claims.getIssuedAt().getValue()).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
        assertThat(Base64.getUrlDecoder().decode(claims.getJwtId())).hasSizeGreaterThanOrEqualTo(16);
        assertThat(claims.hasClaim("nonce")).isFalse();
        assertThat(claims.hasClaim("ath")).isFalse();
    }

    @Test
    void eachProofHasItsOwnJtiAndCarriesTheServersLatestNonceAndTheTokensHash() throws Exception {
        DpopKey key = DpopKey.generate();
        String first = payload(key.proof("POST", TOKEN_URL, null)).getJwtId();
        key.nonce("n-1");
        key.nonce(null); // an answer without DPoP-Nonce keeps the nonce the proof carries
        JwtClaims claims = payload(key.proof("GET", "http://127.0.0.1:8081/userinfo", "an.access.token"));
        assertThat(claims.getJwtId()).isNotEqualTo(first);
        assertThat(claims.getStringClaimValue("nonce")).isEqualTo("n-1");
        // RFC 9449 §4.2: ath is the base64url SHA-256 of the access token's ASCII.
        assertThat(claims.getStringClaimValue("ath")).isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest("an.access.token".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void keysDifferPerVirtualUser() throws Exception {
        DpopKey a = DpopKey.generate();
        DpopKey b = DpopKey.generate();
        assertThat(a.thumbprint()).isNotEqualTo(b.thumbprint()).matches("[A-Za-z0-9_-]{43}");
    }

    @Test
    void coordinateIsAlwaysThirtyTwoBytesLeftPaddedWithoutTheSignByte() {
        // RFC 7518 §6.2.1.2: a short number is padded (1 in 256 keys has a leading zero byte), a sign byte dropped.
        byte[] one = DpopKey.coordinate(java.math.BigInteger.ONE);
        assertThat(one).hasSize(32);
        assertThat(one[31]).isEqualTo((byte) 1);
        assertThat(one[0]).isZero();
        java.math.BigInteger high = java.math.BigInteger.ONE.shiftLeft(255); // 33 bytes from toByteArray, the first 0
        byte[] full = DpopKey.coordinate(high);
        assertThat(full).hasSize(32);
        assertThat(full[0]).isEqualTo((byte) 0x80);
    }

    private static JwtClaims payload(String proof) throws Exception {
        return JwtClaims.parse(((JsonWebSignature) JsonWebSignature.fromCompactSerialization(proof)).getUnverifiedPayload());
    }
}
