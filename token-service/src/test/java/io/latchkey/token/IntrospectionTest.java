package io.latchkey.token;

import static io.latchkey.token.Flow.assertError;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.equalTo;

import io.latchkey.model.store.CodeStore;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /introspect (RFC 7662): for resource servers about any token, for other confidential clients about their own. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class IntrospectionTest {

    @Inject
    CodeStore codes;

    private static Response introspect(String token) {
        return introspectAs("resource-server", "rs-secret", token);
    }

    private static Response introspectAs(String clientId, String secret, String token) {
        return given().contentType("application/x-www-form-urlencoded")
                .header("Authorization", TokenRequestTest.basic(clientId, secret))
                .formParam("token", token).post("/introspect");
    }

    /** Tokens of the confidential client backend, which is not a resource server: a code exchange as it. */
    private Response backendTokens() {
        String verifier = Flow.newVerifier();
        String code = Flow.mint(codes, "backend", "https://backend.example/callback", verifier, List.of("openid", "api:read"), "n");
        Response response = given().contentType("application/x-www-form-urlencoded")
                .header("Authorization", TokenRequestTest.basic("backend", "backend-secret"))
                .formParam("grant_type", "authorization_code").formParam("code", code)
                .formParam("redirect_uri", "https://backend.example/callback").formParam("code_verifier", verifier)
                .post("/token");
        response.then().statusCode(200);
        return response;
    }

    @Test
    void introspectWhenAnotherClientAsksAboutLiveTokensThenInactiveLikeADeadToken() {
        Response spa = Flow.spaTokens(codes);
        String dead = introspectAs("backend", "backend-secret", "garbage").asString();
        for (String token : List.of(spa.<String>path("access_token"), spa.<String>path("refresh_token"))) {
            Response answer = introspectAs("backend", "backend-secret", token);
            answer.then().statusCode(200).header("Cache-Control", "no-store").body("$", aMapWithSize(1)).body("active", equalTo(false));
            assertThat(answer.asString()).isEqualTo(dead);
        }
        // The tokens are live: the resource server is told so, and the SPA can still use its refresh token.
        introspect(spa.path("access_token")).then().statusCode(200).body("active", equalTo(true));
        Flow.refresh(Flow.SPA, spa.path("refresh_token")).then().statusCode(200);
    }

    @Test
    void introspectWhenTheTokensOwnClientAsksThenActive() {
        Response tokens = backendTokens();
        introspectAs("backend", "backend-secret", tokens.path("access_token")).then().statusCode(200)
                .body("active", equalTo(true)).body("client_id", equalTo("backend")).body("token_type", equalTo("Bearer"));
        introspectAs("backend", "backend-secret", tokens.path("refresh_token")).then().statusCode(200)
                .body("active", equalTo(true)).body("client_id", equalTo("backend")).body("token_type", equalTo("refresh_token"));
        // A resource server may ask about them too.
        introspect(tokens.path("refresh_token")).then().statusCode(200).body("active", equalTo(true)).body("sub", equalTo(Flow.ALICE));
        introspectAs("resource-server", "rs-secret", tokens.path("access_token")).then().statusCode(200)
                .body("active", equalTo(true)).body("scope", equalTo("openid api:read"));
    }

    @Test
    void introspectLiveAccessTokenThenActiveWithClaims() {
        Response tokens = Flow.spaTokens(codes);
        introspect(tokens.path("access_token")).then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("active", equalTo(true))
                .body("sub", equalTo(Flow.ALICE))
                .body("client_id", equalTo(Flow.SPA))
                .body("scope", equalTo("openid profile email"))
                .body("token_type", equalTo("Bearer"));
    }

    @Test
    void introspectLiveRefreshTokenThenActive() {
        Response tokens = Flow.spaTokens(codes);
        introspect(tokens.path("refresh_token")).then().statusCode(200)
                .body("active", equalTo(true))
                .body("token_type", equalTo("refresh_token"))
                .body("client_id", equalTo(Flow.SPA));
    }

    @Test
    void introspectRotatedRefreshTokenThenInactive() {
        Response tokens = Flow.spaTokens(codes);
        Flow.refresh(Flow.SPA, tokens.path("refresh_token")).then().statusCode(200);
        introspect(tokens.path("refresh_token")).then().statusCode(200).body("$", aMapWithSize(1)).body("active", equalTo(false));
    }

    @Test
    void introspectExpiredOrForgedTokenThenInactiveOnly() throws Exception {
        long past = System.currentTimeMillis() / 1000 - 3600;
        introspect(TestKeys.accessToken(TestKeys.key("test-rs256-new"), "at+jwt", Map.of("iat", past - 60, "exp", past)))
                .then().statusCode(200).body("$", aMapWithSize(1)).body("active", equalTo(false));
        introspect("garbage").then().statusCode(200).body("$", aMapWithSize(1)).body("active", equalTo(false));
    }

    @Test
    void introspectByPublicClientThenInvalidClient() {
        Response tokens = Flow.spaTokens(codes);
        Response response = given().contentType("application/x-www-form-urlencoded")
                .formParam("client_id", Flow.SPA).formParam("token", tokens.<String>path("access_token")).post("/introspect");
        assertError(response, 401, "invalid_client");
        response.then().header("WWW-Authenticate", "Basic realm=\"latchkey\"");
    }
}
