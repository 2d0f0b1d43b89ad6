package io.latchkey.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An operator who publishes admin-service's /register has discovery list it (RFC 8414 §2, OIDC Discovery §3). */
@QuarkusTest
@TestProfile(RegistrationEndpointDiscoveryTest.Published.class)
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class RegistrationEndpointDiscoveryTest {

    public static class Published implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("latchkey.registration.endpoint", "https://admin.example.com/register");
        }
    }

    @Test
    void discoveryListsTheConfiguredRegistrationEndpoint() {
        JsonPath json = new TestBrowser().request().get("/.well-known/openid-configuration").jsonPath();
        assertThat(json.getString("registration_endpoint")).isEqualTo("https://admin.example.com/register");
    }
}
