package io.latchkey.admin.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.latchkey.admin.TestTokens;
import io.latchkey.model.keys.PublishedKeys;
import io.latchkey.model.store.AccessTokenRevocations;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Attacks on admin authentication: each must end in the RFC 6750 answer, never in the resource. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class AdminTokensTest {

    @Inject
    PublishedKeys keys;

    @Inject
    AccessTokenRevocations revocations;

    @BeforeEach
    void publishKey() {
        TestTokens.publish(keys);
    }

    @Test
    void tokenWithTheScopeOpensTheResourceAndNamesTheActor() {
        given().header("Authorization", TestTokens.bearer("ops-robot", "audit"))
                .when().get("/admin/probe")
                .then().statusCode(200).body(equalTo("client:ops-robot"));
    }

    @Test
    void noTokenIsAChallengeWithoutErrorCode() {
        given().when().get("/admin/probe")
                .then().statusCode(401).header("WWW-Authenticate", equalTo("Bearer realm=\"latchkey-admin\""));
    }

    @Test
    void tokenWithoutTheScopeIsInsufficientScope() {
        given().header("Authorization", TestTokens.bearer("ops-robot", "scim clients sessions"))
                .when().get("/admin/probe")
                .then().statusCode(403).body("error", equalTo("insufficient_scope"))
                .header("WWW-Authenticate", containsString("scope=\"audit\""));
    }

    @Test
    void tokenOfAnotherIssuerIsRefused() {
        given().header("Authorization", "Bearer " + TestTokens.otherIssuer("audit"))
                .when().get("/admin/probe")
                .then().statusCode(401).body("error", equalTo("invalid_token"));
    }

    @Test
    void tokenSignedByAnUnpublishedKeyIsRefused() {
        given().header("Authorization", "Bearer " + TestTokens.foreign("audit"))
                .when().get("/admin/probe")
                .then().statusCode(401).body("error", equalTo("invalid_token"));
    }

    @Test
    void idTokenIsNotAnAccessToken() {
        JwtClaims claims = TestTokens.claims("ops-robot", "ops-robot", TestTokens.ISSUER, "audit");
        String signed = TestTokens.sign(claims);
        // Same key and claims, but typ JWT as an ID token has: RFC 9068 §4 requires at+jwt.
        String[] parts = signed.split("\\.");
        String header = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"ES256\",\"kid\":\"test-admin-key\",\"typ\":\"JWT\"}".getBytes());
        given().header("Authorization", "Bearer " + header + "." + parts[1] + "." + parts[2])
                .when().get("/admin/probe")
                .then().statusCode(401).body("error", equalTo("invalid_token"));
    }

    @Test
    void expiredTokenIsRefused() {
        JwtClaims claims = TestTokens.claims("ops-robot", "ops-robot", TestTokens.ISSUER, "audit");
        claims.setExpirationTimeMinutesInTheFuture(-5);
        given().header("Authorization", "Bearer " + TestTokens.sign(claims))
                .when().get("/admin/probe")
                .then().statusCode(401).body("error_description", equalTo("The token has expired."));
    }

    @Test
    void revokedTokenIsRefused() throws Exception {
        JwtClaims claims = TestTokens.claims("ops-robot", "ops-robot", TestTokens.ISSUER, "audit");
        revocations.revoke(claims.getJwtId(), Duration.ofMinutes(5)).await().atMost(Duration.ofSeconds(5));
        given().header("Authorization", "Bearer " + TestTokens.sign(claims))
                .when().get("/admin/probe")
                .then().statusCode(401).body("error_description", equalTo("The token was revoked."));
    }

    @Test
    void dpopBoundTokenPresentedAsBearerIsRefused() {
        JwtClaims claims = TestTokens.claims("ops-robot", "ops-robot", TestTokens.ISSUER, "audit");
        claims.setClaim("cnf", java.util.Map.of("jkt", "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"));
        given().header("Authorization", "Bearer " + TestTokens.sign(claims))
                .when().get("/admin/probe")
                .then().statusCode(401).body("error", equalTo("invalid_token"))
                .body("error_description", containsString("bound to a DPoP key"));
    }

    @Test
    void malformedHeadersAreInvalidRequest() {
        given().header("Authorization", "Basic YWRtaW46YWRtaW4=").when().get("/admin/probe")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
        given().header("Authorization", "Bearer not-a-jwt").when().get("/admin/probe")
                .then().statusCode(401).body("error", equalTo("invalid_token"));
    }
}
