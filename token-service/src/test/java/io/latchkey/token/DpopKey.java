package io.latchkey.token;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import io.restassured.response.Response;
import java.net.URI;
import java.security.Key;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

/**
 * A client's DPoP key and the proofs Nimbus makes with it (RFC 9449 §4), for the public URLs the discovery document
 * names (the issuer's, in the tests), whatever port the test server listens on.
 */
public final class DpopKey {

    public static final URI TOKEN = URI.create(Flow.ISSUER + "/token");
    public static final URI USERINFO = URI.create(Flow.ISSUER + "/userinfo");

    private final ECKey key;
    private final DefaultDPoPProofFactory factory;

    private DpopKey(ECKey key) {
        this.key = key;
        try {
            this.factory = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static DpopKey generate() {
        try {
            return new DpopKey(new ECKeyGenerator(Curve.P_256).generate());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public ECKey key() {
        return key;
    }

    public DefaultDPoPProofFactory factory() {
        return factory;
    }

    /** RFC 7638 thumbprint as Nimbus computes it: what cnf.jkt must be. */
    public String jkt() {
        try {
            return key.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A proof for POST /token, with the server's nonce (null: none). */
    public String tokenProof(String nonce) {
        try {
            return factory.createDPoPJWT("POST", TOKEN, nonce == null ? null : new Nonce(nonce)).serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A proof for any method and URL, issued at a chosen time, with an access token hash and a nonce (each null: none). */
    public String proof(String htm, URI htu, Date iat, String accessToken, String nonce) {
        try {
            return factory.createDPoPJWT(new JWTID(), htm, htu, iat, accessToken == null ? null : new DPoPAccessToken(accessToken),
                    nonce == null ? null : new Nonce(nonce)).serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A proof for a request to /userinfo with this bound access token (ath). */
    public String userinfoProof(String htm, String accessToken) {
        return proof(htm, USERINFO, new Date(), accessToken, null);
    }

    /** A proof signed by hand, for what no client library would make (alg none, HMAC, a private jwk). */
    public static String handMade(String alg, Key signingKey, Map<String, Object> jwk,
            Map<String, Object> claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(alg);
        jws.setHeader("typ", "dpop+jwt");
        jws.getHeaders().setObjectHeaderValue("jwk", jwk);
        jws.setPayload(JsonUtil.toJson(claims));
        jws.setKey(signingKey);
        jws.setDoKeyValidation(false);
        jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The claims of a valid token-endpoint proof with this nonce. */
    public static Map<String, Object> tokenClaims(String nonce) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("htm", "POST");
        claims.put("htu", TOKEN.toString());
        claims.put("iat", System.currentTimeMillis() / 1000);
        claims.put("nonce", nonce);
        return claims;
    }

    /**
     * The token endpoint's current nonce, as a client learns it: a request whose proof has none is answered
     * use_dpop_nonce with the nonce in DPoP-Nonce (RFC 9449 §8). The request's refresh token is made up, so nothing
     * is consumed.
     */
    public String nonce() {
        Response response = given().contentType("application/x-www-form-urlencoded").header("DPoP", tokenProof(null))
                .formParam("grant_type", "refresh_token").formParam("client_id", Flow.SPA).formParam("refresh_token", "made-up")
                .post("/token");
        Flow.assertError(response, 400, "use_dpop_nonce");
        String nonce = response.header("DPoP-Nonce");
        assertThat(nonce).isNotBlank();
        return nonce;
    }
}
