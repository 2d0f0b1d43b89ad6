package io.latchkey.token;

import static io.latchkey.token.Flow.assertError;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.nimbusds.jwt.SignedJWT;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** grant_type=client_credentials (RFC 6749 §4.4). */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ClientCredentialsGrantTest {

    @Test
    void clientCredentialsThenAccessTokenForTheClientItselfWithoutRefreshOrIdToken() throws Exception {
        Response response = given().contentType("application/x-www-form-urlencoded")
                .header("Authorization", TokenRequestTest.basic("backend", "backend-secret"))
                .formParam("grant_type", "client_credentials").formParam("scope", "api:read")
                .post("/token");
        response.then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("token_type", equalTo("Bearer"))
                .body("scope", equalTo("api:read"))
                .body("refresh_token", nullValue())
                .body("id_token", nullValue());
        var claims = SignedJWT.parse(response.path("access_token")).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("backend");
        assertThat(claims.getStringClaim("client_id")).isEqualTo("backend");
        assertThat(claims.getClaim("auth_time")).isNull();
    }

    @Test
    void clientCredentialsWithoutScopeThenEveryRegisteredScopeButOpenid() {
        given().contentType("application/x-www-form-urlencoded")
                .header("Authorization", TokenRequestTest.basic("backend", "backend-secret"))
                .formParam("grant_type", "client_credentials")
                .post("/token")
                .then().statusCode(200).body("scope", equalTo("api:read api:write profile"));
    }

    @Test
    void clientCredentialsWhenScopeNotRegisteredThenInvalidScope() {
        assertError(given().contentType("application/x-www-form-urlencoded")
                .header("Authorization", TokenRequestTest.basic("resource-server", "rs-secret"))
                .formParam("grant_type", "client_credentials").formParam("scope", "api:write")
                .post("/token"), 400, "invalid_scope");
    }

    @Test
    void clientCredentialsWhenPublicClientThenUnauthorizedClient() {
        assertError(given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").formParam("client_id", "spa")
                .post("/token"), 400, "unauthorized_client");
    }
}
