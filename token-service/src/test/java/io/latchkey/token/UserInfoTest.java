package io.latchkey.token;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import io.latchkey.model.store.CodeStore;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.junit.jupiter.api.Test;

/** /userinfo as an RFC 6750 protected resource, and what it refuses. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class UserInfoTest {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @Inject
    CodeStore codes;

    @Test
    void userinfoWithBearerHeaderThenClaimsOfTheGrantedScopes() {
        String accessToken = Flow.spaTokens(codes).path("access_token");
        given().auth().oauth2(accessToken).get("/userinfo").then()
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .body("sub", equalTo(Flow.ALICE))
                .body("name", equalTo("Alice Liddell"))
                .body("preferred_username", equalTo("alice"))
                .body("email", equalTo("alice@example.com"))
                .body("email_verified", equalTo(true))
                // phone scope not granted: the phone number stays back (OIDC Core §5.4).
                .body("$", not(hasKey("phone_number")));
    }

    @Test
    void userinfoWithOnlyOpenidScopeThenOnlySub() {
        String verifier = Flow.newVerifier();
        String code = Flow.mint(codes, Flow.SPA, Flow.SPA_REDIRECT, verifier, List.of("openid"), null);
        String accessToken = Flow.exchange(Flow.SPA, code, Flow.SPA_REDIRECT, verifier).path("access_token");
        given().auth().oauth2(accessToken).get("/userinfo").then()
                .statusCode(200)
                .body("sub", equalTo(Flow.ALICE))
                .body("$", not(hasKey("email")))
                .body("$", not(hasKey("name")));
    }

    @Test
    void userinfoPostWithFormAccessTokenThenClaims() {
        String accessToken = Flow.spaTokens(codes).path("access_token");
        given().contentType("application/x-www-form-urlencoded").formParam("access_token", accessToken).post("/userinfo")
                .then().statusCode(200).body("sub", equalTo(Flow.ALICE));
    }

    @Test
    void userinfoWithTokenInHeaderAndFormThenInvalidRequest() {
        String accessToken = Flow.spaTokens(codes).path("access_token");
        Response response = given().auth().oauth2(accessToken).contentType("application/x-www-form-urlencoded")
                .formParam("access_token", accessToken).post("/userinfo");
        response.then().statusCode(400)
                .header("WWW-Authenticate", equalTo("Bearer realm=\"latchkey\", error=\"invalid_request\", "
                        + "error_description=\"Send the access token in one place only.\""))
                .body("error", equalTo("invalid_request"));
    }

    @Test
    void userinfoWithoutTokenThen401ChallengeWithoutErrorCode() {
        given().get("/userinfo").then()
                .statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer realm=\"latchkey\""));
    }

    @Test
    void userinfoWithTokenInQueryThenIgnoredAnd401() {
        String accessToken = Flow.spaTokens(codes).path("access_token");
        given().queryParam("access_token", accessToken).get("/userinfo").then()
                .statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer realm=\"latchkey\""));
    }

    @Test
    void userinfoWhenAlgNoneThenInvalidToken() {
        String accessToken = Flow.spaTokens(codes).path("access_token");
        String payload = accessToken.split("\\.")[1];
        String header = B64.encodeToString("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"test-rs256-new\"}".getBytes(StandardCharsets.UTF_8));
        assertInvalidToken(header + "." + payload + ".", "The access token is invalid.");
    }

    @Test
    void userinfoWhenPayloadTamperedThenInvalidToken() {
        String[] parts = Flow.spaTokens(codes).<String>path("access_token").split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace(Flow.ALICE, "7c1e-bob");
        assertInvalidToken(parts[0] + "." + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2],
                "The access token is invalid.");
    }

    @Test
    void userinfoWhenSignedByUnknownKeyThenInvalidToken() throws Exception {
        RsaJsonWebKey foreign = RsaJwkGenerator.generateJwk(2048);
        foreign.setKeyId("test-rs256-new");
        foreign.setAlgorithm("RS256");
        assertInvalidToken(TestKeys.accessToken(foreign, "at+jwt", Map.of()), "The access token is invalid.");
    }

    @Test
    void userinfoWhenHs256WithPublicKeyAsSecretThenInvalidToken() throws Exception {
        // Algorithm confusion: an attacker "signs" with HMAC, using the published RSA key as the secret.
        var publicKey = TestKeys.key("test-rs256-new").getPublicKey().getEncoded();
        var jws = new org.jose4j.jws.JsonWebSignature();
        jws.setPayload("{\"iss\":\"" + Flow.ISSUER + "\",\"sub\":\"" + Flow.ALICE + "\",\"aud\":\"" + Flow.ISSUER
                + "\",\"scope\":\"openid\",\"jti\":\"x\",\"exp\":" + (System.currentTimeMillis() / 1000 + 300) + "}");
        jws.setAlgorithmHeaderValue("HS256");
        jws.setKeyIdHeaderValue("test-rs256-new");
        jws.setHeader("typ", "at+jwt");
        jws.setKey(new org.jose4j.keys.HmacKey(publicKey));
        jws.setDoKeyValidation(false);
        assertInvalidToken(jws.getCompactSerialization(), "The access token is invalid.");
    }

    @Test
    void userinfoWhenIdTokenPresentedThenInvalidTokenBecauseTypIsNotAtJwt() {
        assertInvalidToken(Flow.spaTokens(codes).path("id_token"), "The access token is invalid.");
    }

    @Test
    void userinfoWhenExpiredThenInvalidToken() throws Exception {
        long past = System.currentTimeMillis() / 1000 - 3600;
        String expired = TestKeys.accessToken(TestKeys.key("test-rs256-new"), "at+jwt", Map.of("iat", past - 300, "exp", past));
        assertInvalidToken(expired, "The access token has expired.");
    }

    @Test
    void userinfoWhenIssuerWrongThenInvalidToken() throws Exception {
        assertInvalidToken(TestKeys.accessToken(TestKeys.key("test-rs256-new"), "at+jwt", Map.of("iss", "https://evil.example")),
                "The access token is invalid.");
    }

    @Test
    void userinfoWhenSignedByOlderPublishedKeyThenAccepted() throws Exception {
        // Rotation: a key no longer first in the set still verifies the tokens it signed.
        given().auth().oauth2(TestKeys.accessToken(TestKeys.key("test-rs256-old"), "at+jwt", Map.of()))
                .get("/userinfo").then().statusCode(200).body("sub", equalTo(Flow.ALICE));
    }

    @Test
    void userinfoWhenTokenLacksOpenidScopeThenInsufficientScope() throws Exception {
        String token = TestKeys.accessToken(TestKeys.key("test-rs256-new"), "at+jwt", Map.of("scope", "profile"));
        given().auth().oauth2(token).get("/userinfo").then()
                .statusCode(403)
                .header("WWW-Authenticate", equalTo("Bearer realm=\"latchkey\", error=\"insufficient_scope\", "
                        + "error_description=\"The access token lacks the openid scope.\""))
                .body("error", equalTo("insufficient_scope"));
    }

    @Test
    void userinfoWhenUserDisabledThenInvalidToken() throws Exception {
        assertInvalidToken(TestKeys.accessToken(TestKeys.key("test-rs256-new"), "at+jwt", Map.of("sub", "7c1e-bob")),
                "The access token's user no longer exists.");
    }

    private static void assertInvalidToken(String token, String description) {
        given().auth().oauth2(token).get("/userinfo").then()
                .statusCode(401)
                .header("Cache-Control", "no-store")
                .header("WWW-Authenticate", equalTo("Bearer realm=\"latchkey\", error=\"invalid_token\", error_description=\""
                        + description.replace('"', '\'') + "\""))
                .body("error", equalTo("invalid_token"));
    }
}
