package io.latchkey.admin.registration;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.client.ClientInformation;
import com.nimbusds.oauth2.sdk.client.ClientInformationResponse;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationResponse;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import io.latchkey.admin.TestTokens;
import io.latchkey.model.directory.ClientDirectory;
import io.latchkey.model.keys.PublishedKeys;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** latchkey.registration.open=true: anyone may register, yet a token that is sent must still be a good one. */
@QuarkusTest
@TestProfile(OpenRegistrationTest.Open.class)
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class OpenRegistrationTest {

    public static class Open implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("latchkey.registration.open", "true",
                    "latchkey.registration.endpoint", "https://admin.example.com/register");
        }
    }

    @TestHTTPResource("/register")
    URI endpoint;

    @Inject
    PublishedKeys keys;

    @Inject
    ClientDirectory clients;

    @Inject
    Pool pool;

    @BeforeEach
    void publishKey() {
        TestTokens.publish(keys);
    }

    @Test
    void registrationWithoutATokenIsTakenAndAuditedWithoutAnActor() throws Exception {
        HTTPResponse http = RegistrationClient.request(endpoint, RegistrationClient.spa(), null).send();
        assertThat(http.getStatusCode()).isEqualTo(201);
        ClientInformation info = ((ClientInformationResponse) ClientRegistrationResponse.parse(http)).getClientInformation();
        assertThat(clients.find(info.getID().getValue()).await().atMost(Duration.ofSeconds(10))).isPresent();
        assertThat(info.getRegistrationURI()).as("the published endpoint, not the internal host")
                .isEqualTo(URI.create("https://admin.example.com/register/" + info.getID().getValue()));
        var row = pool.preparedQuery("SELECT actor FROM audit_events WHERE client_id = $1 AND type = 'client.registered'")
                .execute(Tuple.of(info.getID().getValue())).await().atMost(Duration.ofSeconds(10)).iterator().next();
        assertThat(row.getString(0)).isNull();
    }

    @Test
    void aTokenThatIsSentMustStillBeGood() throws Exception {
        HTTPResponse http = RegistrationClient.request(endpoint, RegistrationClient.spa(),
                new BearerAccessToken(TestTokens.foreign("clients"))).send();
        assertThat(http.getStatusCode()).isEqualTo(401);
    }

    @Test
    void openRegistrationStillAppliesEveryMetadataRule() throws Exception {
        var metadata = RegistrationClient.spa();
        metadata.setRedirectionURI(URI.create("http://attacker.example/cb"));
        HTTPResponse http = RegistrationClient.request(endpoint, metadata, null).send();
        assertThat(http.getStatusCode()).isEqualTo(400);
        assertThat(http.getBodyAsJSONObject().get("error")).isEqualTo("invalid_redirect_uri");
    }
}
