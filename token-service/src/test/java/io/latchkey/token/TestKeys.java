package io.latchkey.token;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jose4j.jca.ProviderContext;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;

/** Signs tokens with the test key file's private keys, to forge what only the server should make. */
final class TestKeys {

    private TestKeys() {
    }

    static PublicJsonWebKey key(String kid) throws Exception {
        JsonWebKeySet set = new JsonWebKeySet(Files.readString(Path.of("src/test/resources/test-keys.json")));
        return (PublicJsonWebKey) set.findJsonWebKey(kid, null, null, null);
    }

    /** An access token as the server would make it, with these claims changed or added. */
    static String accessToken(PublicJsonWebKey key, String typ, Map<String, Object> overrides) throws Exception {
        return accessToken(key, typ, overrides, null);
    }

    /** The same, signed by this JCA provider (null: whichever the provider list picks). */
    static String accessToken(PublicJsonWebKey key, String typ, Map<String, Object> overrides, String provider) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(Flow.ISSUER);
        claims.setSubject(Flow.ALICE);
        claims.setAudience(Flow.ISSUER);
        claims.setClaim("client_id", Flow.SPA);
        claims.setClaim("scope", "openid profile email");
        claims.setClaim("iat", now);
        claims.setClaim("exp", now + 300);
        claims.setJwtId("test-" + System.nanoTime());
        overrides.forEach(claims::setClaim);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(key.getAlgorithm());
        jws.setHeader("typ", typ);
        ProviderContext context = new ProviderContext();
        context.getSuppliedKeyProviderContext().setSignatureProvider(provider);
        jws.setProviderContext(context);
        return jws.getCompactSerialization();
    }
}
