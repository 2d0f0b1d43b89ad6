package io.latchkey.model.dpop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.store.RedisKeys;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.security.Key;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey.OutputControlLevel;
import org.jose4j.jwk.OctetKeyPairJsonWebKey;
import org.jose4j.jwk.OkpJwkGenerator;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

/**
 * The DPoP proof verifier of RFC 9449 §4.3 against real proofs (Nimbus' DPoP factory, and hand-made ones for what
 * no client library would make) and real Redis (single use, the nonce secret).
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class DpopProofsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String URL = "https://id.example.com/token";
    private static final DpopTarget TOKEN = DpopTarget.of("POST", URL);

    @Inject
    DpopProofs proofs;

    @Inject
    DpopNonces nonces;

    private Optional<DpopProof> verify(String proof) {
        return verify(List.of(proof), null, false);
    }

    private Optional<DpopProof> verify(List<String> headers, String accessToken, boolean nonceRequired) {
        return proofs.verify(headers, TOKEN, accessToken, nonceRequired).await().atMost(WAIT);
    }

    private void assertRefused(String proof, String description) {
        assertRefused(List.of(proof), null, description);
    }

    private void assertRefused(List<String> headers, String accessToken, String description) {
        assertThatThrownBy(() -> verify(headers, accessToken, false))
                .isInstanceOfSatisfying(DpopException.class, e -> {
                    assertThat(e.error()).isEqualTo(OAuthError.INVALID_DPOP_PROOF);
                    assertThat(e.nonce()).isEmpty();
                })
                .hasMessageContaining(description);
    }

    private static ECKey ecKey() throws Exception {
        return new ECKeyGenerator(Curve.P_256).generate();
    }

    private static String nimbus(JWK key, JWSAlgorithm alg) throws Exception {
        return new DefaultDPoPProofFactory(key, alg).createDPoPJWT("POST", URI.create(URL)).serialize();
    }

    /** A proof signed by hand, for headers no client library would write. */
    private static String handMade(String alg, Key signingKey, Map<String, Object> jwk, String typ, Map<String, Object> claims)
            throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(alg);
        if (typ != null) {
            jws.setHeader("typ", typ);
        }
        if (jwk != null) {
            jws.getHeaders().setObjectHeaderValue("jwk", jwk);
        }
        jws.setPayload(JsonUtil.toJson(claims));
        jws.setKey(signingKey);
        jws.setDoKeyValidation(false);
        jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        return jws.getCompactSerialization();
    }

    private static Map<String, Object> claims(String htm, String htu, long iat) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("htm", htm);
        claims.put("htu", htu);
        claims.put("iat", iat);
        return claims;
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static Map<String, Object> publicJwk(ECKey key) {
        return key.toPublicJWK().toJSONObject();
    }

    @Test
    void verifyWhenNimbusProofsOfEcRsaAndPssKeysThenTheResultIsTheKeysRfc7638Thumbprint() throws Exception {
        ECKey p256 = ecKey();
        ECKey p384 = new ECKeyGenerator(Curve.P_384).generate();
        var rsa = new RSAKeyGenerator(2048).generate();
        assertThat(verify(nimbus(p256, JWSAlgorithm.ES256))).get().extracting(DpopProof::jkt)
                .isEqualTo(p256.computeThumbprint().toString());
        assertThat(verify(nimbus(p384, JWSAlgorithm.ES384))).get().extracting(DpopProof::jkt)
                .isEqualTo(p384.computeThumbprint().toString());
        assertThat(verify(nimbus(rsa, JWSAlgorithm.RS256))).get().extracting(DpopProof::jkt)
                .isEqualTo(rsa.computeThumbprint().toString());
        assertThat(verify(nimbus(rsa, JWSAlgorithm.PS256))).get().extracting(DpopProof::jkt)
                .isEqualTo(rsa.computeThumbprint().toString());
    }

    @Test
    void verifyWhenEd25519ProofThenAcceptedWithTheKeysThumbprint() throws Exception {
        OctetKeyPairJsonWebKey ed = OkpJwkGenerator.generateJwk(OctetKeyPairJsonWebKey.SUBTYPE_ED25519);
        String proof = handMade("EdDSA", ed.getPrivateKey(), ed.toParams(OutputControlLevel.PUBLIC_ONLY), "dpop+jwt",
                claims("POST", URL, now()));
        String expected = OctetKeyPair.parse(ed.toJson(OutputControlLevel.PUBLIC_ONLY)).computeThumbprint().toString();
        assertThat(verify(proof)).get().extracting(DpopProof::jkt).isEqualTo(expected);
    }

    @Test
    void verifyWhenNoHeaderThenNoProof() {
        assertThat(verify(List.of(), null, true)).isEmpty();
        assertThat(proofs.verify(null, TOKEN, null, true).await().atMost(WAIT)).isEmpty();
    }

    @Test
    void verifyWhenTheSameProofComesTwiceThenTheSecondIsRefusedAsReplayed() throws Exception {
        String proof = nimbus(ecKey(), JWSAlgorithm.ES256);
        DpopProof first = verify(proof).orElseThrow();
        assertRefused(proof, "already been used");
        String key = RedisKeys.dpopProof(sha256(first.jkt() + first.jti()));
        long ttl = Long.parseLong(TestRedis.get().command("PTTL", key));
        assertThat(ttl).as("remembered for the proof lifetime and the skew, 65 s").isBetween(60_000L, 65_000L);
    }

    @Test
    void verifyWhenAnotherProofOfTheSameKeyThenAccepted() throws Exception {
        ECKey key = ecKey();
        verify(nimbus(key, JWSAlgorithm.ES256));
        assertThat(verify(nimbus(key, JWSAlgorithm.ES256))).isPresent();
    }

    @Test
    void verifyWhenHtuDiffersOnlyBySyntaxAndSchemeNormalisationThenAccepted() throws Exception {
        ECKey key = ecKey();
        for (String htu : List.of("HTTPS://ID.Example.COM:443/%74oken", "https://id.example.com/token?x=1#frag",
                "https://id.example.com/./x/../token")) {
            assertThat(verify(handMade("ES256", key.toECPrivateKey(), publicJwk(key), "dpop+jwt", claims("POST", htu, now()))))
                    .as(htu).isPresent();
        }
    }

    @Test
    void verifyWhenProofIsForAnotherUrlThenRefused() throws Exception {
        ECKey key = ecKey();
        for (String htu : List.of("https://id.example.com/userinfo", "https://evil.example/token", "http://id.example.com/token",
                "https://id.example.com:8443/token", "https://user@id.example.com/token", "/token", "not a url")) {
            assertRefused(handMade("ES256", key.toECPrivateKey(), publicJwk(key), "dpop+jwt", claims("POST", htu, now())), "(htu)");
        }
    }

    @Test
    void verifyWhenProofIsForAnotherMethodThenRefused() throws Exception {
        ECKey key = ecKey();
        assertRefused(new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256).createDPoPJWT("GET", URI.create(URL)).serialize(), "(htm)");
        assertRefused(handMade("ES256", key.toECPrivateKey(), publicJwk(key), "dpop+jwt", claims("post", URL, now())), "(htm)");
    }

    @Test
    void verifyWhenAlgIsNoneThenRefused() throws Exception {
        ECKey key = ecKey();
        assertRefused(handMade("none", null, publicJwk(key), "dpop+jwt", claims("POST", URL, now())), "alg must be one of");
    }

    @Test
    void verifyWhenHmacSignedThenRefused() throws Exception {
        byte[] secret = new byte[32];
        HmacKey hmac = new HmacKey(secret);
        Map<String, Object> oct = Map.of("kty", "oct", "k", Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        assertRefused(handMade("HS256", hmac, oct, "dpop+jwt", claims("POST", URL, now())), "alg must be one of");
        // Algorithm confusion: an asymmetric jwk and an HMAC keyed with its public part.
        ECKey key = ecKey();
        assertRefused(handMade("HS256", new HmacKey(key.toECPublicKey().getEncoded()), publicJwk(key), "dpop+jwt",
                claims("POST", URL, now())), "alg must be one of");
    }

    @Test
    void verifyWhenJwkCarriesThePrivateKeyThenRefused() throws Exception {
        ECKey key = ecKey();
        assertRefused(handMade("ES256", key.toECPrivateKey(), key.toJSONObject(), "dpop+jwt", claims("POST", URL, now())),
                "must not contain a private key");
        var rsa = new RSAKeyGenerator(2048).generate();
        assertRefused(handMade("RS256", rsa.toPrivateKey(), rsa.toJSONObject(), "dpop+jwt", claims("POST", URL, now())),
                "must not contain a private key");
    }

    @Test
    void verifyWhenJwkIsMissingOrNotAKeyThenRefused() throws Exception {
        ECKey key = ecKey();
        assertRefused(handMade("ES256", key.toECPrivateKey(), null, "dpop+jwt", claims("POST", URL, now())), "no jwk");
        assertRefused(handMade("ES256", key.toECPrivateKey(), Map.of("kty", "EC", "crv", "P-256"), "dpop+jwt",
                claims("POST", URL, now())), "not a well-formed");
    }

    @Test
    void verifyWhenSignedByAnotherKeyThanItsJwkThenRefused() throws Exception {
        ECKey signer = ecKey();
        ECKey named = ecKey();
        assertRefused(handMade("ES256", signer.toECPrivateKey(), publicJwk(named), "dpop+jwt", claims("POST", URL, now())),
                "signature does not verify");
        // An RSA jwk under an EC algorithm, and a key too small to be accepted.
        var rsa = new RSAKeyGenerator(2048).generate();
        assertRefused(handMade("ES256", signer.toECPrivateKey(), rsa.toPublicJWK().toJSONObject(), "dpop+jwt",
                claims("POST", URL, now())), "not a well-formed");
        var small = PublicJsonWebKey.Factory.newPublicJwk(new RSAKeyGenerator(1024, true).generate().toJSONString());
        assertRefused(handMade("RS256", small.getPrivateKey(), small.toParams(OutputControlLevel.PUBLIC_ONLY), "dpop+jwt",
                claims("POST", URL, now())), "not a well-formed");
    }

    @Test
    void verifyWhenTypIsNotDpopJwtThenRefused() throws Exception {
        ECKey key = ecKey();
        for (String typ : new String[] {"JWT", "at+jwt", "DPOP+JWT", null}) {
            assertRefused(handMade("ES256", key.toECPrivateKey(), publicJwk(key), typ, claims("POST", URL, now())), "typ must be dpop+jwt");
        }
    }

    @Test
    void verifyWhenIatTooOldOrInTheFutureThenRefusedAndWithinTheWindowAccepted() throws Exception {
        ECKey key = ecKey();
        DefaultDPoPProofFactory factory = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);
        long now = System.currentTimeMillis();
        assertRefused(factory.createDPoPJWT(new JWTID(), "POST", URI.create(URL), new Date(now - 61_000), null).serialize(),
                "too old or in the future");
        assertRefused(factory.createDPoPJWT(new JWTID(), "POST", URI.create(URL), new Date(now + 30_000), null).serialize(),
                "too old or in the future");
        assertThat(verify(factory.createDPoPJWT(new JWTID(), "POST", URI.create(URL), new Date(now - 50_000), null).serialize())).isPresent();
        assertThat(verify(factory.createDPoPJWT(new JWTID(), "POST", URI.create(URL), new Date(now + 3_000), null).serialize())).isPresent();
    }

    @Test
    void verifyWhenAccessTokenPresentedThenAthMustBeItsHash() throws Exception {
        ECKey key = ecKey();
        DefaultDPoPProofFactory factory = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);
        URI uri = URI.create(URL);
        assertThat(verify(List.of(factory.createDPoPJWT("POST", uri, new DPoPAccessToken("token-a")).serialize()), "token-a", false))
                .isPresent();
        assertRefused(List.of(factory.createDPoPJWT("POST", uri, new DPoPAccessToken("token-b")).serialize()), "token-a", "(ath)");
        assertRefused(List.of(factory.createDPoPJWT("POST", uri).serialize()), "token-a", "no ath");
        // Where no token is presented (the token endpoint), a proof made for one is not this request's.
        assertRefused(List.of(factory.createDPoPJWT("POST", uri, new DPoPAccessToken("token-a")).serialize()), null, "no access token");
    }

    @Test
    void verifyWhenTwoProofHeadersThenRefused() throws Exception {
        ECKey key = ecKey();
        assertRefused(List.of(nimbus(key, JWSAlgorithm.ES256), nimbus(key, JWSAlgorithm.ES256)), null, "one DPoP header");
    }

    @Test
    void verifyWhenGarbageOrOversizedOrMissingClaimsThenRefused() throws Exception {
        for (String garbage : List.of("", "a.b.c", "not a jwt", "eyJhbGciOiJFUzI1NiJ9..")) {
            assertRefused(garbage, "DPoP proof");
        }
        assertRefused("a".repeat(DpopProofCheck.MAX_PROOF_LENGTH + 1), "too large");
        ECKey key = ecKey();
        for (String claim : List.of("jti", "htm", "htu", "iat")) {
            Map<String, Object> claims = claims("POST", URL, now());
            claims.remove(claim);
            assertRefused(handMade("ES256", key.toECPrivateKey(), publicJwk(key), "dpop+jwt", claims), "no " + claim);
        }
        Map<String, Object> longJti = claims("POST", URL, now());
        longJti.put("jti", "j".repeat(DpopProofCheck.MAX_JTI_LENGTH + 1));
        assertRefused(handMade("ES256", key.toECPrivateKey(), publicJwk(key), "dpop+jwt", longJti), "jti is too long");
    }

    @Test
    void verifyWhenNonceRequiredAndMissingOrStaleThenUseDpopNonceWithTheCurrentOneWhichIsThenAccepted() throws Exception {
        ECKey key = ecKey();
        DefaultDPoPProofFactory factory = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);
        String current = nonces.current().await().atMost(WAIT);
        for (String proof : List.of(factory.createDPoPJWT("POST", URI.create(URL)).serialize(),
                factory.createDPoPJWT("POST", URI.create(URL), new Nonce("stale-or-made-up")).serialize())) {
            assertThatThrownBy(() -> verify(List.of(proof), null, true)).isInstanceOfSatisfying(DpopException.class, e -> {
                assertThat(e.error()).isEqualTo(OAuthError.USE_DPOP_NONCE);
                assertThat(e.nonce()).contains(current);
            });
        }
        assertThat(verify(List.of(factory.createDPoPJWT("POST", URI.create(URL), new Nonce(current)).serialize()), null, true))
                .get().extracting(DpopProof::nonce).isEqualTo(Optional.of(current));
    }

    @Test
    void noncesWhenSlotsPassThenAcceptedInTheirSlotAndTheNextOnlyAndMadeFromTheSecretInRedis() {
        String current = nonces.current().await().atMost(WAIT);
        String stored = TestRedis.get().command("GET", RedisKeys.dpopNonceSecret());
        byte[] secret = Base64.getUrlDecoder().decode(stored);
        long now = System.currentTimeMillis();
        long slot = nonces.slot(now);
        assertThat(DpopNonces.nonce(secret, slot)).as("every replica derives it from the shared secret").isEqualTo(current);
        long slotMillis = Duration.ofMinutes(5).toMillis();
        assertThat(nonces.accepts(secret, current, now)).isTrue();
        assertThat(nonces.accepts(secret, current, now + slotMillis)).as("in the next slot").isTrue();
        assertThat(nonces.accepts(secret, current, now + 2 * slotMillis)).as("two slots later").isFalse();
        assertThat(nonces.accepts(secret, DpopNonces.nonce(secret, slot + 1), now)).as("a future slot's").isFalse();
        assertThat(nonces.accepts(new byte[32], current, now)).as("under another secret").isFalse();
        assertThat(current).matches("[A-Za-z0-9_-]{43}");
    }

    private static String sha256(String text) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
