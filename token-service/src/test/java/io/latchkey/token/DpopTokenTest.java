package io.latchkey.token;

import static io.latchkey.token.Flow.SPA;
import static io.latchkey.token.Flow.SPA_REDIRECT;
import static io.latchkey.token.Flow.assertError;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.dpop.JWKThumbprintConfirmation;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import io.latchkey.model.store.CodeStore;
import io.latchkey.model.store.RedisKeys;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

/**
 * DPoP at the token endpoint (RFC 9449 §4.3, §5, §8, §10): proofs made by Nimbus over real HTTP, grants in real Redis.
 * Every refused proof is refused before the grant is touched: the same code or refresh token works afterwards.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class DpopTokenTest {

    private static final String SPA_DPOP = "spa-dpop";
    private static final String SPA_DPOP_REDIRECT = "http://localhost:5176/callback";

    @Inject
    CodeStore codes;

    @TestHTTPResource("/token")
    URL tokenEndpoint;

    @TestHTTPResource("/userinfo")
    URL userinfoEndpoint;

    private static RequestSpecification form(List<String> proofs) {
        RequestSpecification request = given().contentType("application/x-www-form-urlencoded");
        for (String proof : proofs) {
            request = request.header("DPoP", proof);
        }
        return request;
    }

    static Response exchange(List<String> proofs, String clientId, String code, String redirectUri, String verifier) {
        return form(proofs).formParam("grant_type", "authorization_code").formParam("client_id", clientId)
                .formParam("code", code).formParam("redirect_uri", redirectUri).formParam("code_verifier", verifier)
                .post("/token");
    }

    static Response exchange(String proof, String code, String verifier) {
        return exchange(List.of(proof), SPA, code, SPA_REDIRECT, verifier);
    }

    static Response refresh(List<String> proofs, String clientId, String refreshToken) {
        return form(proofs).formParam("grant_type", "refresh_token").formParam("client_id", clientId)
                .formParam("refresh_token", refreshToken).post("/token");
    }

    /** A DPoP-bound SPA session: the key, and the code exchange's answer. */
    static Response boundSpaTokens(CodeStore codes, DpopKey key) {
        String verifier = Flow.newVerifier();
        Response response = exchange(key.tokenProof(key.nonce()), Flow.mintSpa(codes, verifier), verifier);
        response.then().statusCode(200).body("token_type", equalTo("DPoP"));
        return response;
    }

    static String cnfJkt(String accessToken) throws Exception {
        JWKThumbprintConfirmation cnf = JWKThumbprintConfirmation.parse(SignedJWT.parse(accessToken).getJWTClaimsSet());
        return cnf == null ? null : cnf.getValue().toString();
    }

    /** The attack was refused with invalid_dpop_proof, and the code it tried is still redeemable with a good proof. */
    private void assertRefusedBeforeTheCodeIsUsed(DpopKey key, String code, String verifier, List<String> proofs, String description) {
        Response refused = exchange(proofs, SPA, code, SPA_REDIRECT, verifier);
        assertError(refused, 400, "invalid_dpop_proof");
        refused.then().body("error_description", containsString(description)).header("DPoP-Nonce", nullValue());
        exchange(key.tokenProof(key.nonce()), code, verifier).then().statusCode(200).body("token_type", equalTo("DPoP"));
    }

    @Test
    void exchangeWithProofThenTokenTypeDpopCnfJktOfTheKeyANonceForTheNextRequestAndUserinfoWithTheKey() throws Exception {
        DpopKey key = DpopKey.generate();
        String verifier = Flow.newVerifier();
        String code = Flow.mintSpa(codes, verifier);
        TokenRequest request = new TokenRequest(tokenEndpoint.toURI(), new ClientID(SPA),
                new AuthorizationCodeGrant(new AuthorizationCode(code), URI.create(SPA_REDIRECT), new CodeVerifier(verifier)));
        HTTPRequest http = request.toHTTPRequest();
        http.setDPoP(key.factory().createDPoPJWT("POST", DpopKey.TOKEN, new Nonce(key.nonce())));
        HTTPResponse answer = http.send();

        assertThat(answer.getStatusCode()).isEqualTo(200);
        assertThat(answer.getHeaderValue("DPoP-Nonce")).as("RFC 9449 §8.2: the next nonce").matches("[A-Za-z0-9_-]{43}");
        OIDCTokenResponse tokens = OIDCTokenResponseParser.parse(answer).toSuccessResponse() instanceof OIDCTokenResponse t ? t : null;
        assertThat(tokens).isNotNull();
        var accessToken = tokens.getOIDCTokens().getAccessToken();
        assertThat(accessToken.getType()).isEqualTo(AccessTokenType.DPOP);
        assertThat(accessToken).isInstanceOf(DPoPAccessToken.class);
        assertThat(cnfJkt(accessToken.getValue())).isEqualTo(key.jkt());
        assertThat(tokens.getOIDCTokens().getRefreshToken()).isNotNull();

        // The bound token at /userinfo through Nimbus' DPoP userinfo request.
        HTTPRequest userinfo = new UserInfoRequest(userinfoEndpoint.toURI(), (DPoPAccessToken) accessToken).toHTTPRequest();
        userinfo.setDPoP(key.factory().createDPoPJWT("GET", DpopKey.USERINFO, accessToken));
        UserInfoResponse claims = UserInfoResponse.parse(userinfo.send());
        assertThat(claims.indicatesSuccess()).isTrue();
        assertThat(claims.toSuccessResponse().getUserInfo().getSubject().getValue()).isEqualTo(Flow.ALICE);
    }

    @Test
    void exchangeWhenProofHasNoNonceThenUseDpopNonceWithOneAndTheSameCodeRedeemsWithIt() throws Exception {
        DpopKey key = DpopKey.generate();
        String verifier = Flow.newVerifier();
        String code = Flow.mintSpa(codes, verifier);
        Response refused = exchange(key.tokenProof(null), code, verifier);
        assertError(refused, 400, "use_dpop_nonce");
        String nonce = refused.header("DPoP-Nonce");
        assertThat(nonce).isNotBlank();

        Response retried = exchange(key.tokenProof(nonce), code, verifier);
        retried.then().statusCode(200).body("token_type", equalTo("DPoP"));
        assertThat(cnfJkt(retried.path("access_token"))).isEqualTo(key.jkt());
    }

    @Test
    void exchangeWhenNonceIsStaleThenUseDpopNonceWithAFreshOneThenSuccess() {
        DpopKey key = DpopKey.generate();
        String verifier = Flow.newVerifier();
        String code = Flow.mintSpa(codes, verifier);
        Response refused = exchange(key.tokenProof("eyJ7S_zG.eyJH0-Z.HX4w-7v"), code, verifier);
        assertError(refused, 400, "use_dpop_nonce");
        refused.then().body("error_description", containsString("stale"));
        exchange(key.tokenProof(refused.header("DPoP-Nonce")), code, verifier).then().statusCode(200).body("token_type", equalTo("DPoP"));
    }

    @Test
    void proofReplayedThenInvalidDpopProofAndTheGrantIsNotUsedUp() {
        DpopKey key = DpopKey.generate();
        String proof = key.tokenProof(key.nonce());
        String firstVerifier = Flow.newVerifier();
        exchange(proof, Flow.mintSpa(codes, firstVerifier), firstVerifier).then().statusCode(200);

        String verifier = Flow.newVerifier();
        assertRefusedBeforeTheCodeIsUsed(key, Flow.mintSpa(codes, verifier), verifier, List.of(proof), "already been used");
    }

    @Test
    void proofForAnotherUrlThenInvalidDpopProof() throws Exception {
        DpopKey key = DpopKey.generate();
        String nonce = key.nonce();
        // The userinfo URL, and the address this replica was reached at, which is not the public token endpoint.
        for (URI htu : List.of(DpopKey.USERINFO, tokenEndpoint.toURI(), URI.create("https://evil.example/token"))) {
            String verifier = Flow.newVerifier();
            assertRefusedBeforeTheCodeIsUsed(key, Flow.mintSpa(codes, verifier), verifier,
                    List.of(key.proof("POST", htu, new Date(), null, nonce)), "another URL (htu)");
        }
    }

    @Test
    void proofForAnotherMethodThenInvalidDpopProof() {
        DpopKey key = DpopKey.generate();
        String verifier = Flow.newVerifier();
        assertRefusedBeforeTheCodeIsUsed(key, Flow.mintSpa(codes, verifier), verifier,
                List.of(key.proof("GET", DpopKey.TOKEN, new Date(), null, key.nonce())), "another HTTP method (htm)");
    }

    @Test
    void proofSignedWithAlgNoneThenInvalidDpopProof() {
        DpopKey key = DpopKey.generate();
        String verifier = Flow.newVerifier();
        String unsigned = DpopKey.handMade("none", null, key.key().toPublicJWK().toJSONObject(), DpopKey.tokenClaims(key.nonce()));
        assertRefusedBeforeTheCodeIsUsed(key, Flow.mintSpa(codes, verifier), verifier, List.of(unsigned), "alg must be one of");
    }

    @Test
    void proofSignedWithHmacThenInvalidDpopProof() {
        DpopKey key = DpopKey.generate();
        String nonce = key.nonce();
        byte[] secret = new byte[32];
        Map<String, Object> oct = Map.of("kty", "oct", "k", Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        for (String proof : List.of(DpopKey.handMade("HS256", new HmacKey(secret), oct, DpopKey.tokenClaims(nonce)),
                // An asymmetric jwk with an HMAC keyed by its public key: algorithm confusion.
                DpopKey.handMade("HS256", new HmacKey(key.key().toPublicJWK().toJSONString().getBytes()),
                        key.key().toPublicJWK().toJSONObject(), DpopKey.tokenClaims(nonce)))) {
            String verifier = Flow.newVerifier();
            assertRefusedBeforeTheCodeIsUsed(key, Flow.mintSpa(codes, verifier), verifier, List.of(proof), "alg must be one of");
        }
    }

    @Test
    void proofWhoseJwkCarriesThePrivateKeyThenInvalidDpopProof() throws Exception {
        DpopKey key = DpopKey.generate();
        String verifier = Flow.newVerifier();
        String proof = DpopKey.handMade("ES256", key.key().toECPrivateKey(), key.key().toJSONObject(), DpopKey.tokenClaims(key.nonce()));
        assertRefusedBeforeTheCodeIsUsed(key, Flow.mintSpa(codes, verifier), verifier, List.of(proof), "must not contain a private key");
    }

    @Test
    void proofIssuedTooLongAgoOrInTheFutureThenInvalidDpopProof() {
        DpopKey key = DpopKey.generate();
        String nonce = key.nonce();
        long now = System.currentTimeMillis();
        for (Date iat : List.of(new Date(now - 120_000), new Date(now + 60_000))) {
            String verifier = Flow.newVerifier();
            assertRefusedBeforeTheCodeIsUsed(key, Flow.mintSpa(codes, verifier), verifier,
                    List.of(key.proof("POST", DpopKey.TOKEN, iat, null, nonce)), "too old or in the future");
        }
    }

    @Test
    void proofSignedByAnotherKeyThanItsJwkThenInvalidDpopProof() throws Exception {
        DpopKey key = DpopKey.generate();
        ECKey thief = new ECKeyGenerator(Curve.P_256).generate();
        String verifier = Flow.newVerifier();
        String proof = DpopKey.handMade("ES256", thief.toECPrivateKey(), key.key().toPublicJWK().toJSONObject(),
                DpopKey.tokenClaims(key.nonce()));
        assertRefusedBeforeTheCodeIsUsed(key, Flow.mintSpa(codes, verifier), verifier, List.of(proof), "signature does not verify");
    }

    @Test
    void twoDpopHeadersThenInvalidDpopProof() {
        DpopKey key = DpopKey.generate();
        String nonce = key.nonce();
        String verifier = Flow.newVerifier();
        assertRefusedBeforeTheCodeIsUsed(key, Flow.mintSpa(codes, verifier), verifier,
                List.of(key.tokenProof(nonce), key.tokenProof(nonce)), "one DPoP header");
    }

    @Test
    void clientRequiringDpopWithoutProofThenInvalidDpopProofSayingOneIsRequiredAndTheCodeStillWorks() {
        DpopKey key = DpopKey.generate();
        String verifier = Flow.newVerifier();
        String code = Flow.mint(codes, SPA_DPOP, SPA_DPOP_REDIRECT, verifier, List.of("openid"), null);
        Response refused = exchange(List.of(), SPA_DPOP, code, SPA_DPOP_REDIRECT, verifier);
        assertError(refused, 400, "invalid_dpop_proof");
        refused.then().body("error_description", containsString("A DPoP proof is required")).header("DPoP-Nonce", nullValue());

        Response bound = exchange(List.of(key.tokenProof(key.nonce())), SPA_DPOP, code, SPA_DPOP_REDIRECT, verifier);
        bound.then().statusCode(200).body("token_type", equalTo("DPoP"));
        assertError(refresh(List.of(), SPA_DPOP, bound.path("refresh_token")), 400, "invalid_dpop_proof");
    }

    @Test
    void codeBoundByDpopJktRedeemedWithAnotherKeyThenInvalidDpopProof() {
        DpopKey client = DpopKey.generate();
        DpopKey thief = DpopKey.generate();
        String verifier = Flow.newVerifier();
        String code = Flow.mintBound(codes, verifier, client.jkt());
        Response refused = exchange(thief.tokenProof(thief.nonce()), code, verifier);
        assertError(refused, 400, "invalid_dpop_proof");
        refused.then().body("error_description", equalTo("The DPoP proof's key is not the one the authorization code is bound to (dpop_jkt)."));
        // Like any mismatch, the attempt used the code up (RFC 6749 §4.1.2): a stolen code cannot be tried with many keys.
        assertError(exchange(client.tokenProof(client.nonce()), code, verifier), 400, "invalid_grant");
    }

    @Test
    void codeBoundByDpopJktRedeemedWithoutProofThenInvalidDpopProof() {
        DpopKey client = DpopKey.generate();
        String verifier = Flow.newVerifier();
        Response refused = Flow.exchange(SPA, Flow.mintBound(codes, verifier, client.jkt()), SPA_REDIRECT, verifier);
        assertError(refused, 400, "invalid_dpop_proof");
        refused.then().body("error_description", containsString("a DPoP proof of that key is required"));
    }

    @Test
    void codeBoundByDpopJktRedeemedWithItsKeyThenTokensBoundToIt() throws Exception {
        DpopKey client = DpopKey.generate();
        String verifier = Flow.newVerifier();
        Response response = exchange(client.tokenProof(client.nonce()), Flow.mintBound(codes, verifier, client.jkt()), verifier);
        response.then().statusCode(200).body("token_type", equalTo("DPoP"));
        assertThat(cnfJkt(response.path("access_token"))).isEqualTo(client.jkt());
    }

    @Test
    void clientCredentialsWithProofThenBoundAccessToken() throws Exception {
        DpopKey key = DpopKey.generate();
        Response response = form(List.of(key.tokenProof(key.nonce())))
                .header("Authorization", TokenRequestTest.basic("backend", "backend-secret"))
                .formParam("grant_type", "client_credentials").formParam("scope", "api:read").post("/token");
        response.then().statusCode(200).body("token_type", equalTo("DPoP")).header("DPoP-Nonce", org.hamcrest.Matchers.notNullValue());
        assertThat(cnfJkt(response.path("access_token"))).isEqualTo(key.jkt());
    }

    @Test
    void bearerExchangeThenBearerTokenWithoutCnfAndNoNonceHeader() throws Exception {
        Response response = Flow.spaTokens(codes);
        response.then().body("token_type", equalTo("Bearer")).header("DPoP-Nonce", nullValue());
        assertThat(cnfJkt(response.path("access_token"))).isNull();
    }

    @Test
    void boundRefreshTokenPresentedWithAnotherKeyOrNoProofThenRefusedNothingChangesAndItsKeyStillRefreshes() {
        DpopKey key = DpopKey.generate();
        String refreshToken = boundSpaTokens(codes, key).path("refresh_token");
        OpaqueToken token = OpaqueToken.parse(refreshToken).orElseThrow();
        String familyKey = RedisKeys.family(token.family());
        String tokenKey = RedisKeys.refreshToken(token.family(), token.hash());
        assertThat(TestRedis.get().command("HGET", familyKey, "jkt")).isEqualTo(key.jkt());
        String familyBefore = TestRedis.get().command("HGETALL", familyKey);

        DpopKey thief = DpopKey.generate();
        Response otherKey = refresh(List.of(thief.tokenProof(thief.nonce())), SPA, refreshToken);
        assertError(otherKey, 400, "invalid_dpop_proof");
        otherKey.then().body("error_description", equalTo("The DPoP proof's key is not the one the refresh token is bound to."));
        Response noProof = Flow.refresh(SPA, refreshToken);
        assertError(noProof, 400, "invalid_dpop_proof");
        noProof.then().body("error_description", containsString("a DPoP proof of that key is required"));

        assertThat(TestRedis.get().command("HGETALL", familyKey)).isEqualTo(familyBefore);
        assertThat(TestRedis.get().command("GET", tokenKey)).isEqualTo("current");
        assertThat(TestRedis.get().command("KEYS", familyKey + ":rt:*")).as("no other token made").isEqualTo(tokenKey);
        refresh(List.of(key.tokenProof(key.nonce())), SPA, refreshToken).then().statusCode(200)
                .body("token_type", equalTo("DPoP")).body("refresh_token", equalTo(refreshToken));
    }

    @Test
    void boundRefreshTokenRefreshedByManyTabsAtOnceThenEveryRefreshSucceedsWithTheSameToken() throws Exception {
        DpopKey key = DpopKey.generate();
        String refreshToken = boundSpaTokens(codes, key).path("refresh_token");
        String nonce = key.nonce();
        Response first = refresh(List.of(key.tokenProof(nonce)), SPA, refreshToken);
        first.then().statusCode(200).body("refresh_token", equalTo(refreshToken));
        Response second = refresh(List.of(key.tokenProof(nonce)), SPA, refreshToken);
        second.then().statusCode(200).body("refresh_token", equalTo(refreshToken));
        assertThat(cnfJkt(second.path("access_token"))).isEqualTo(key.jkt());
        assertThat(second.<String>path("access_token")).isNotEqualTo(first.path("access_token"));

        // Five tabs at the same moment: no grace needed, no family revoked.
        List<CompletableFuture<Integer>> tabs = IntStream.range(0, 5)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> refresh(List.of(key.tokenProof(nonce)), SPA, refreshToken).statusCode()))
                .toList();
        assertThat(tabs.stream().map(CompletableFuture::join).toList()).containsOnly(200);
        OpaqueToken token = OpaqueToken.parse(refreshToken).orElseThrow();
        assertThat(TestRedis.get().command("HGET", RedisKeys.family(token.family()), "revoked")).isEqualTo("0");
    }

    @Test
    void confidentialClientRefreshWithProofThenStillRotatedAndOnlyTheAccessTokenBound() throws Exception {
        DpopKey key = DpopKey.generate();
        String verifier = Flow.newVerifier();
        String code = Flow.mint(codes, "backend", "https://backend.example/callback", verifier, List.of("openid", "api:read"), null);
        Response exchanged = form(List.of(key.tokenProof(key.nonce())))
                .header("Authorization", TokenRequestTest.basic("backend", "backend-secret"))
                .formParam("grant_type", "authorization_code").formParam("code", code)
                .formParam("redirect_uri", "https://backend.example/callback").formParam("code_verifier", verifier).post("/token");
        exchanged.then().statusCode(200).body("token_type", equalTo("DPoP"));
        String refreshToken = exchanged.path("refresh_token");
        OpaqueToken token = OpaqueToken.parse(refreshToken).orElseThrow();
        assertThat(TestRedis.get().command("HGET", RedisKeys.family(token.family()), "jkt")).as("RFC 9449 §5: not bound").isNull();

        Response refreshed = form(List.of(key.tokenProof(key.nonce())))
                .header("Authorization", TokenRequestTest.basic("backend", "backend-secret"))
                .formParam("grant_type", "refresh_token").formParam("refresh_token", refreshToken).post("/token");
        refreshed.then().statusCode(200).body("token_type", equalTo("DPoP"));
        assertThat(refreshed.<String>path("refresh_token")).isNotEqualTo(refreshToken);
        assertThat(cnfJkt(refreshed.path("access_token"))).isEqualTo(key.jkt());
        // Authenticated by its secret, it may refresh without a proof and gets a bearer token.
        given().contentType("application/x-www-form-urlencoded").header("Authorization", TokenRequestTest.basic("backend", "backend-secret"))
                .formParam("grant_type", "refresh_token").formParam("refresh_token", refreshed.<String>path("refresh_token")).post("/token")
                .then().statusCode(200).body("token_type", equalTo("Bearer"));
    }
}
