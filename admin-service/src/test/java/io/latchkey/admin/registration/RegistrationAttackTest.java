package io.latchkey.admin.registration;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.nimbusds.oauth2.sdk.client.ClientDeleteRequest;
import com.nimbusds.oauth2.sdk.client.ClientInformation;
import com.nimbusds.oauth2.sdk.client.ClientMetadata;
import com.nimbusds.oauth2.sdk.client.ClientReadRequest;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationResponse;
import com.nimbusds.oauth2.sdk.client.ClientUpdateRequest;
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
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Attacks on registration, each ending in the protocol's error and nothing written: requests without a usable
 * initial access token, metadata that would let a client receive codes it should not or use what Latchkey does
 * not offer, and registration access tokens used where they do not belong.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class RegistrationAttackTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final String SPA = """
            {"redirect_uris": ["%s"], "token_endpoint_auth_method": "none", "client_name": "attack"}""";

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

    // --- the initial access token (RFC 7591 §3) ---

    @Test
    void withoutATokenRegistrationIsClosedByDefault() throws Exception {
        long before = clientCount();
        HTTPResponse http = new com.nimbusds.oauth2.sdk.client.ClientRegistrationRequest(endpoint, RegistrationClient.spa(), null)
                .toHTTPRequest().send();
        assertThat(http.getStatusCode()).isEqualTo(401);
        assertThat(http.getHeaderValue("WWW-Authenticate")).startsWith("Bearer realm=");
        assertThat(clientCount()).isEqualTo(before);
    }

    @Test
    void aTokenWithoutTheClientsScopeIsRefused() throws Exception {
        HTTPResponse http = RegistrationClient.request(endpoint, RegistrationClient.spa(),
                new BearerAccessToken(TestTokens.client("ops-robot", "scim sessions audit"))).send();
        assertThat(http.getStatusCode()).isEqualTo(403);
        assertThat(ClientRegistrationResponse.parse(http).toErrorResponse().getErrorObject().getCode()).isEqualTo("insufficient_scope");
    }

    @Test
    void aTokenOfAnotherIssuerIsRefused() throws Exception {
        HTTPResponse http = RegistrationClient.request(endpoint, RegistrationClient.spa(),
                new BearerAccessToken(TestTokens.otherIssuer("clients"))).send();
        assertThat(http.getStatusCode()).isEqualTo(401);
        assertThat(ClientRegistrationResponse.parse(http).toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_token");
    }

    @Test
    void aTokenSignedByAKeyNobodyPublishedIsRefused() throws Exception {
        ClientRegistrationResponse response = RegistrationClient.send(endpoint, RegistrationClient.spa(),
                new BearerAccessToken(TestTokens.foreign("clients")));
        assertThat(response.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_token");
    }

    // --- metadata (RFC 7591 §2, §3.2.2) ---

    @Test
    void javascriptRedirectIsRefusedForWebAndNativeClients() {
        refused(SPA.formatted("javascript:alert(document.cookie)"), "invalid_redirect_uri");
        refused("""
                {"redirect_uris": ["javascript:alert(1)"], "token_endpoint_auth_method": "none", "application_type": "native"}""",
                "invalid_redirect_uri");
        refused(SPA.formatted("data:text/html,<script>alert(1)</script>"), "invalid_redirect_uri");
    }

    @Test
    void redirectWithAFragmentIsRefused() {
        refused(SPA.formatted("https://app.example.com/cb#token"), "invalid_redirect_uri");
    }

    @Test
    void wildcardRedirectIsRefused() {
        refused(SPA.formatted("https://app.example.com/*"), "invalid_redirect_uri");
        refused(SPA.formatted("https://*.example.com/cb"), "invalid_redirect_uri");
    }

    @Test
    void plainHttpRedirectOutsideTheLoopbackIsRefused() {
        refused(SPA.formatted("http://app.example.com/cb"), "invalid_redirect_uri");
        refused(SPA.formatted("http://localhost.attacker.example/cb"), "invalid_redirect_uri");
    }

    @Test
    void webClientWithACustomSchemeRedirectIsRefused() {
        refused(SPA.formatted("com.example.app:/callback"), "invalid_redirect_uri");
    }

    @Test
    void nativeClientSchemeMustBeAReverseDomainName() {
        refused("""
                {"redirect_uris": ["myapp:/cb"], "token_endpoint_auth_method": "none", "application_type": "native"}""",
                "invalid_redirect_uri");
    }

    @Test
    void codeClientWithoutRedirectUrisIsRefused() {
        refused("""
                {"token_endpoint_auth_method": "none"}""", "invalid_redirect_uri");
    }

    @Test
    void privateKeyJwtAndClientKeysAreRefused() {
        refused("""
                {"redirect_uris": ["https://app.example.com/cb"], "token_endpoint_auth_method": "private_key_jwt"}""",
                "invalid_client_metadata");
        refused("""
                {"redirect_uris": ["https://app.example.com/cb"], "jwks_uri": "https://app.example.com/jwks"}""",
                "invalid_client_metadata");
    }

    @Test
    void implicitFlowIsRefused() {
        refused("""
                {"redirect_uris": ["https://app.example.com/cb"], "response_types": ["token"], "grant_types": ["implicit"]}""",
                "invalid_client_metadata");
        refused("""
                {"redirect_uris": ["https://app.example.com/cb"], "response_types": ["code id_token"]}""",
                "invalid_client_metadata");
        refused("""
                {"redirect_uris": ["https://app.example.com/cb"], "grant_types": ["implicit"]}""",
                "invalid_client_metadata");
    }

    @Test
    void aClientCannotGiveItselfAdminScopes() {
        refused("""
                {"grant_types": ["client_credentials"], "scope": "clients scim"}""", "invalid_client_metadata");
    }

    @Test
    void clientCredentialsNeedAConfidentialClient() {
        refused("""
                {"grant_types": ["client_credentials"], "token_endpoint_auth_method": "none"}""", "invalid_client_metadata");
    }

    @Test
    void metadataOfTheWrongShapeIsRefused() {
        refused("[]", "invalid_client_metadata");
        refused("{\"redirect_uris\": \"https://app.example.com/cb\"}", "invalid_client_metadata");
        refused("{not json", "invalid_client_metadata");
    }

    /** RFC 7591 §2: boolean metadata are JSON booleans; a string, a number or an object is refused, not guessed at. */
    @Test
    void pushedRequestAndDpopFlagsThatAreNotBooleansAreRefused() {
        for (String field : new String[] {"require_pushed_authorization_requests", "dpop_bound_access_tokens"}) {
            for (String value : new String[] {"\"true\"", "1", "\"yes\"", "{}", "[true]"}) {
                refused("{\"redirect_uris\": [\"https://app.example.com/cb\"], \"" + field + "\": " + value + "}",
                        "invalid_client_metadata");
            }
        }
    }

    @Test
    void oversizedMetadataIsRefused() {
        String padding = "a".repeat(20_000);
        refused("{\"redirect_uris\": [\"https://app.example.com/cb\"], \"client_name\": \"x\", \"logo_uri\": \"https://app.example.com/"
                + padding + "\"}", "invalid_client_metadata");
        StringBuilder many = new StringBuilder("{\"redirect_uris\": [");
        for (int i = 0; i < 21; i++) {
            many.append(i == 0 ? "" : ",").append("\"https://app.example.com/cb").append(i).append('"');
        }
        refused(many.append("]}").toString(), "invalid_client_metadata");
    }

    // --- the registration access token (RFC 7592 §3) ---

    @Test
    void anotherClientsRegistrationTokenOpensNothing() throws Exception {
        ClientInformation victim = RegistrationClient.register(endpoint, RegistrationClient.webApp());
        ClientInformation attacker = RegistrationClient.register(endpoint, RegistrationClient.spa());
        BearerAccessToken wrong = attacker.getRegistrationAccessToken();

        invalidToken(new ClientReadRequest(victim.getRegistrationURI(), wrong).toHTTPRequest().send());
        invalidToken(new ClientUpdateRequest(victim.getRegistrationURI(), victim.getID(), wrong, RegistrationClient.spa(), null)
                .toHTTPRequest().send());
        invalidToken(new ClientDeleteRequest(victim.getRegistrationURI(), wrong).toHTTPRequest().send());
        assertThat(clients.find(victim.getID().getValue()).await().atMost(WAIT)).isPresent();
    }

    @Test
    void aMadeUpTokenOrAnUnknownClientIsTheSame401() throws Exception {
        ClientInformation client = RegistrationClient.register(endpoint, RegistrationClient.spa());
        invalidToken(new ClientReadRequest(client.getRegistrationURI(), new BearerAccessToken()).toHTTPRequest().send());
        invalidToken(new ClientReadRequest(URI.create(endpoint + "/no-such-client"), client.getRegistrationAccessToken())
                .toHTTPRequest().send());
        given().when().get(client.getRegistrationURI())
                .then().statusCode(401).header("WWW-Authenticate", containsString("Bearer realm="));
    }

    @Test
    void theOldTokenIsDeadAfterRotation() throws Exception {
        ClientInformation client = RegistrationClient.register(endpoint, RegistrationClient.spa());
        HTTPResponse rotated = new ClientUpdateRequest(client.getRegistrationURI(), client.getID(), client.getRegistrationAccessToken(),
                RegistrationClient.spa(), null).toHTTPRequest().send();
        assertThat(rotated.getStatusCode()).isEqualTo(200);
        invalidToken(new ClientReadRequest(client.getRegistrationURI(), client.getRegistrationAccessToken()).toHTTPRequest().send());
        invalidToken(new ClientDeleteRequest(client.getRegistrationURI(), client.getRegistrationAccessToken()).toHTTPRequest().send());
    }

    @Test
    void aDeletedClientsTokenOpensNothing() throws Exception {
        ClientInformation client = RegistrationClient.register(endpoint, RegistrationClient.spa());
        BearerAccessToken token = client.getRegistrationAccessToken();
        assertThat(new ClientDeleteRequest(client.getRegistrationURI(), token).toHTTPRequest().send().getStatusCode()).isEqualTo(204);
        invalidToken(new ClientReadRequest(client.getRegistrationURI(), token).toHTTPRequest().send());
        invalidToken(new ClientDeleteRequest(client.getRegistrationURI(), token).toHTTPRequest().send());
        invalidToken(new ClientUpdateRequest(client.getRegistrationURI(), client.getID(), token, RegistrationClient.spa(), null)
                .toHTTPRequest().send());
        assertThat(clients.find(client.getID().getValue()).await().atMost(WAIT)).as("not brought back").isEmpty();
    }

    @Test
    void anUpdateNamingAnotherClientIdIsRefused() throws Exception {
        ClientInformation client = RegistrationClient.register(endpoint, RegistrationClient.spa());
        ClientInformation other = RegistrationClient.register(endpoint, RegistrationClient.spa());
        HTTPResponse http = new ClientUpdateRequest(client.getRegistrationURI(), other.getID(), client.getRegistrationAccessToken(),
                RegistrationClient.webApp(), null).toHTTPRequest().send();
        assertThat(http.getStatusCode()).isEqualTo(400);
        assertThat(http.getBodyAsJSONObject().get("error")).isEqualTo("invalid_client_metadata");
        // Refused before anything changed: the token still works.
        assertThat(new ClientReadRequest(client.getRegistrationURI(), client.getRegistrationAccessToken()).toHTTPRequest().send()
                .getStatusCode()).isEqualTo(200);
    }

    @Test
    void anUpdateWithTheWrongClientSecretIsRefused() throws Exception {
        ClientInformation client = RegistrationClient.register(endpoint, RegistrationClient.webApp());
        HTTPResponse http = new ClientUpdateRequest(client.getRegistrationURI(), client.getID(), client.getRegistrationAccessToken(),
                RegistrationClient.webApp(), new com.nimbusds.oauth2.sdk.auth.Secret("guessed")).toHTTPRequest().send();
        assertThat(http.getStatusCode()).isEqualTo(400);
        assertThat(http.getBodyAsJSONObject().get("error")).isEqualTo("invalid_client_metadata");
    }

    @Test
    void anUpdateWithBadMetadataChangesNothing() throws Exception {
        ClientInformation client = RegistrationClient.register(endpoint, RegistrationClient.spa());
        given().header("Authorization", "Bearer " + client.getRegistrationAccessToken().getValue()).contentType("application/json")
                .body("{\"client_id\": \"" + client.getID().getValue() + "\", \"token_endpoint_auth_method\": \"none\","
                        + " \"redirect_uris\": [\"http://evil.example/cb\"]}")
                .when().put(client.getRegistrationURI())
                .then().statusCode(400).body("error", equalTo("invalid_redirect_uri"));
        assertThat(new ClientReadRequest(client.getRegistrationURI(), client.getRegistrationAccessToken()).toHTTPRequest().send()
                .getStatusCode()).as("not rotated").isEqualTo(200);
    }

    @Test
    void twentyParallelRegistrationsGetTwentyDistinctClients() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(20);
        try {
            List<Callable<ClientInformation>> work = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ClientMetadata metadata = i % 2 == 0 ? RegistrationClient.webApp() : RegistrationClient.spa();
                work.add(() -> RegistrationClient.register(endpoint, metadata));
            }
            Set<String> ids = new HashSet<>();
            Set<String> tokens = new HashSet<>();
            for (Future<ClientInformation> done : threads.invokeAll(work)) {
                ClientInformation info = done.get();
                ids.add(info.getID().getValue());
                tokens.add(info.getRegistrationAccessToken().getValue());
            }
            assertThat(ids).hasSize(20);
            assertThat(tokens).hasSize(20);
            for (String id : ids) {
                assertThat(clients.find(id).await().atMost(WAIT)).as(id).isPresent();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private void refused(String body, String error) {
        long before = clientCount();
        given().header("Authorization", TestTokens.bearer("ops-robot", "clients")).contentType("application/json").body(body)
                .when().post(endpoint)
                .then().statusCode(400).body("error", equalTo(error)).header("Cache-Control", containsString("no-store"));
        assertThat(clientCount()).as("nothing written for " + body.substring(0, Math.min(body.length(), 80))).isEqualTo(before);
    }

    private static void invalidToken(HTTPResponse http) {
        assertThat(http.getStatusCode()).as(http.getBody()).isEqualTo(401);
        assertThat(http.getHeaderValue("WWW-Authenticate")).contains("error=\"invalid_token\"");
    }

    private long clientCount() {
        return pool.query("SELECT count(*) FROM clients").execute().await().atMost(WAIT).iterator().next().getLong(0);
    }
}
