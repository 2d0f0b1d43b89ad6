package io.latchkey.token;

import static io.latchkey.token.Flow.SPA;
import static io.latchkey.token.Flow.SPA_REDIRECT;
import static io.latchkey.token.Flow.assertError;
import static io.latchkey.token.Flow.exchange;
import static io.latchkey.token.Flow.newVerifier;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.latchkey.model.store.CodeStore;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * Each grant's declared parameters (RFC 6749 §4.1.3, §4.4.2, §6) are checked once, before the client is
 * authenticated or the grant touched: a required one missing or a declared one repeated is invalid_request,
 * and parameters nobody declared are ignored, even repeated (§3.2).
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class GrantParametersTest {

    @Inject
    CodeStore codes;

    @Test
    void authorizationCodeWhenCodeMissingThenInvalidRequest() {
        Response response = form("authorization_code").formParam("client_id", SPA).formParam("redirect_uri", SPA_REDIRECT)
                .formParam("code_verifier", newVerifier()).post("/token");
        assertInvalidRequest(response, "code is required.");
    }

    @Test
    void authorizationCodeWhenRedirectUriMissingThenInvalidRequestAndCodeStillUsable() {
        String verifier = newVerifier();
        String code = Flow.mintSpa(codes, verifier);
        Response response = form("authorization_code").formParam("client_id", SPA).formParam("code", code)
                .formParam("code_verifier", verifier).post("/token");
        assertInvalidRequest(response, "redirect_uri is required.");
        exchange(SPA, code, SPA_REDIRECT, verifier).then().statusCode(200);
    }

    @Test
    void authorizationCodeWhenCodeRepeatedThenInvalidRequestAndCodeStillUsable() {
        String verifier = newVerifier();
        String code = Flow.mintSpa(codes, verifier);
        Response response = form("authorization_code").formParam("client_id", SPA).formParam("code", code).formParam("code", code)
                .formParam("redirect_uri", SPA_REDIRECT).formParam("code_verifier", verifier).post("/token");
        assertInvalidRequest(response, "Parameter code is repeated.");
        exchange(SPA, code, SPA_REDIRECT, verifier).then().statusCode(200);
    }

    @Test
    void authorizationCodeWhenUndeclaredParameterRepeatedThenIgnored() {
        String verifier = newVerifier();
        String code = Flow.mintSpa(codes, verifier);
        form("authorization_code").formParam("client_id", SPA).formParam("code", code).formParam("redirect_uri", SPA_REDIRECT)
                .formParam("code_verifier", verifier).formParam("resource", "a").formParam("resource", "b").post("/token")
                .then().statusCode(200);
    }

    @Test
    void refreshTokenWhenRefreshTokenMissingThenInvalidRequest() {
        assertInvalidRequest(form("refresh_token").formParam("client_id", SPA).post("/token"), "refresh_token is required.");
    }

    @Test
    void refreshTokenWhenScopeRepeatedThenInvalidRequest() {
        Response response = form("refresh_token").formParam("client_id", SPA).formParam("refresh_token", "anything")
                .formParam("scope", "openid").formParam("scope", "profile").post("/token");
        assertInvalidRequest(response, "Parameter scope is repeated.");
    }

    /** client_credentials requires nothing beyond client authentication; scope is optional but at most once. */
    @Test
    void clientCredentialsWhenScopeRepeatedThenInvalidRequest() {
        Response response = form("client_credentials").auth().preemptive().basic("backend", "backend-secret")
                .formParam("scope", "api:read").formParam("scope", "api:write").post("/token");
        assertInvalidRequest(response, "Parameter scope is repeated.");
    }

    @Test
    void clientCredentialsWhenOnlyGrantTypeAndAuthenticationThenTokens() {
        form("client_credentials").auth().preemptive().basic("backend", "backend-secret").post("/token").then().statusCode(200);
    }

    private static RequestSpecification form(String grantType) {
        return given().contentType("application/x-www-form-urlencoded").formParam("grant_type", grantType);
    }

    private static void assertInvalidRequest(Response response, String description) {
        assertError(response, 400, "invalid_request");
        response.then().body("error_description", equalTo(description));
    }
}
