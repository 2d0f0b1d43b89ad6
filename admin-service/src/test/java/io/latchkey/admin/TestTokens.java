package io.latchkey.admin;

import io.latchkey.model.keys.PublishedKeys;
import io.latchkey.model.keys.VerificationKeys;
import io.latchkey.model.token.AccessTokenRules;
import java.time.Duration;
import java.util.UUID;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * Access tokens for admin-service's tests, signed as token-service signs them (ES256, typ at+jwt, kid) with a key
 * whose public part is published in Redis the way token-service publishes its own: admin-service checks them for
 * real. {@link #foreign()} signs with a key nobody published.
 */
public final class TestTokens {

    public static final String ISSUER = "http://localhost:8080";
    private static final EllipticCurveJsonWebKey KEY = key("test-admin-key");
    private static final EllipticCurveJsonWebKey FOREIGN = key("test-admin-key");

    private TestTokens() {
    }

    /** Publishes the test key; call before the first request (idempotent). */
    public static void publish(PublishedKeys keys) {
        String json = new JsonWebKeySet(KEY).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        keys.publish(VerificationKeys.parse(json, "test key")).await().atMost(Duration.ofSeconds(5));
    }

    /** A client_credentials token of {@code clientId} with these scopes. */
    public static String client(String clientId, String... scopes) {
        return sign(KEY, claims(clientId, clientId, ISSUER, String.join(" ", scopes)));
    }

    /** The Authorization header value for {@link #client}. */
    public static String bearer(String clientId, String... scopes) {
        return "Bearer " + client(clientId, scopes);
    }

    /** A token with the right claims, signed by a key this provider never published. */
    public static String foreign(String... scopes) {
        return sign(FOREIGN, claims("intruder", "intruder", ISSUER, String.join(" ", scopes)));
    }

    /** A well-signed token whose issuer is another provider's. */
    public static String otherIssuer(String... scopes) {
        return sign(KEY, claims("admin", "admin", "https://elsewhere.example", String.join(" ", scopes)));
    }

    public static JwtClaims claims(String subject, String clientId, String issuer, String scope) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject(subject);
        claims.setAudience(ISSUER);
        claims.setClaim("client_id", clientId);
        claims.setClaim("scope", scope);
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(5);
        return claims;
    }

    public static String sign(JwtClaims claims) {
        return sign(KEY, claims);
    }

    private static String sign(EllipticCurveJsonWebKey key, JwtClaims claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue("ES256");
        jws.setHeader("typ", AccessTokenRules.TYPE);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static EllipticCurveJsonWebKey key(String kid) {
        try {
            EllipticCurveJsonWebKey key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
            key.setKeyId(kid);
            key.setAlgorithm("ES256");
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
