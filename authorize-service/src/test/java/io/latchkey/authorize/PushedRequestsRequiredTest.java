package io.latchkey.authorize;

import static io.latchkey.authorize.TestBrowser.redirectBase;
import static io.latchkey.authorize.TestBrowser.redirectParams;
import static io.latchkey.authorize.TestBrowser.validRequest;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code latchkey.par.required=true}: every client must push (RFC 9126 §5), and discovery says so. */
@QuarkusTest
@TestProfile(PushedRequestsRequiredTest.Required.class)
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class PushedRequestsRequiredTest {

    public static class Required implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("latchkey.par.required", "true", "latchkey.par.lifetime", "30s");
        }
    }

    @Test
    void discoveryPublishesTheRequirement() {
        assertThat(new TestBrowser().request().get("/.well-known/openid-configuration").jsonPath()
                .getBoolean("require_pushed_authorization_requests")).isTrue();
    }

    @Test
    void plainAuthorizeOfAnyClientThenInvalidRequestRedirectAndAPushedRequestIsAccepted() {
        Response refused = new TestBrowser().authorize(validRequest());
        assertThat(refused.statusCode()).isEqualTo(302);
        assertThat(redirectBase(refused)).isEqualTo("https://spa.example.com/callback");
        assertThat(redirectParams(refused)).containsEntry("error", "invalid_request").doesNotContainKey("code");

        Response pushed = given().contentType("application/x-www-form-urlencoded").formParams(validRequest()).post("/par");
        assertThat(pushed.statusCode()).isEqualTo(201);
        assertThat(pushed.jsonPath().getLong("expires_in")).as("latchkey.par.lifetime").isEqualTo(30);
        Response login = new TestBrowser().authorize(Map.of("client_id", "spa", "request_uri", pushed.jsonPath().getString("request_uri")));
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.asString()).contains("name=\"password\"");
    }
}
