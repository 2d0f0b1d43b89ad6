package io.latchkey.token;

import static io.latchkey.token.Flow.assertError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.equalTo;

import io.latchkey.model.store.CodeStore;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /introspect (RFC 7662). */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class IntrospectionTest {

    @Inject
    CodeStore codes;

    private static Response introspect(String token) {
        return given().contentType("application/x-www-form-urlencoded")
                .header("Authorization", TokenRequestTest.basic("resource-server", "rs-secret"))
                .formParam("token", token).post("/introspect");
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
