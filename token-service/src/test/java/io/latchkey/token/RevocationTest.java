package io.latchkey.token;

import static io.latchkey.token.Flow.SPA;
import static io.latchkey.token.Flow.assertError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.latchkey.model.store.CodeStore;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** /revoke (RFC 7009). */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class RevocationTest {

    @Inject
    CodeStore codes;

    private static Response revoke(String clientId, String token) {
        return given().contentType("application/x-www-form-urlencoded")
                .formParam("client_id", clientId).formParam("token", token).post("/revoke");
    }

    @Test
    void revokeRefreshTokenThenFamilyAndItsAccessTokensStopWorking() {
        Response tokens = Flow.spaTokens(codes);
        revoke(SPA, tokens.path("refresh_token")).then().statusCode(200).header("Cache-Control", "no-store");
        assertError(Flow.refresh(SPA, tokens.path("refresh_token")), 400, "invalid_grant");
        given().auth().oauth2(tokens.<String>path("access_token")).get("/userinfo").then().statusCode(401);
    }

    @Test
    void revokeAccessTokenThenUserinfoRefusesItButRefreshStillWorks() {
        Response tokens = Flow.spaTokens(codes);
        String accessToken = tokens.path("access_token");
        given().contentType("application/x-www-form-urlencoded").formParam("client_id", SPA)
                .formParam("token", accessToken).formParam("token_type_hint", "access_token").post("/revoke")
                .then().statusCode(200);
        given().auth().oauth2(accessToken).get("/userinfo").then().statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer realm=\"latchkey\", error=\"invalid_token\", "
                        + "error_description=\"The access token has been revoked.\""));
        Flow.refresh(SPA, tokens.path("refresh_token")).then().statusCode(200);
    }

    @Test
    void revokeUnknownTokenThen200() {
        revoke(SPA, OpaqueToken.newFamily().value()).then().statusCode(200);
        revoke(SPA, "not-a-token-at-all").then().statusCode(200);
    }

    @Test
    void revokeTokenOfAnotherClientThenUnauthorizedClientAndTokenStillWorks() {
        Response tokens = Flow.spaTokens(codes);
        assertError(revoke("other-spa", tokens.path("refresh_token")), 400, "unauthorized_client");
        Flow.refresh(SPA, tokens.path("refresh_token")).then().statusCode(200);
    }

    @Test
    void revokeWithoutTokenThenInvalidRequest() {
        assertError(given().contentType("application/x-www-form-urlencoded").formParam("client_id", SPA).post("/revoke"),
                400, "invalid_request");
    }

    @Test
    void revokeByConfidentialClientWithWrongSecretThenInvalidClient() {
        Response response = given().contentType("application/x-www-form-urlencoded")
                .header("Authorization", TokenRequestTest.basic("backend", "nope")).formParam("token", "x").post("/revoke");
        assertError(response, 401, "invalid_client");
        response.then().header("WWW-Authenticate", "Basic realm=\"latchkey\"");
    }
}
