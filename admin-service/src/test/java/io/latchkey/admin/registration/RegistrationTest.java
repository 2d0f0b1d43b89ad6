package io.latchkey.admin.registration;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.client.ClientDeleteRequest;
import com.nimbusds.oauth2.sdk.client.ClientInformation;
import com.nimbusds.oauth2.sdk.client.ClientInformationResponse;
import com.nimbusds.oauth2.sdk.client.ClientMetadata;
import com.nimbusds.oauth2.sdk.client.ClientReadRequest;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationResponse;
import com.nimbusds.oauth2.sdk.client.ClientUpdateRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.rp.ApplicationType;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientInformation;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientInformationResponse;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientMetadata;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientRegistrationRequest;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientRegistrationResponseParser;
import io.latchkey.admin.TestTokens;
import io.latchkey.model.directory.ClientDirectory;
import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.domain.ClientType;
import io.latchkey.model.dpop.DpopPolicy;
import io.latchkey.model.keys.PublishedKeys;
import io.latchkey.model.password.PasswordHasher;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 7591/7592 as a relying party uses them: Nimbus's registration classes over real HTTP, then the stored client
 * as the authorize and token legs will read it (ClientDirectory, PostgreSQL), and the audit trail.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class RegistrationTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @TestHTTPResource("/register")
    URI endpoint;

    @Inject
    PublishedKeys keys;

    @Inject
    ClientDirectory clients;

    @Inject
    PasswordHasher hasher;

    @Inject
    Pool pool;

    @BeforeEach
    void publishKey() {
        TestTokens.publish(keys);
    }

    @Test
    void confidentialClientIsStoredWithTheHashOfTheSecretItWasGivenOnce() throws Exception {
        ClientInformation info = RegistrationClient.register(endpoint, RegistrationClient.webApp());

        assertThat(info.getID().getValue()).hasSizeGreaterThanOrEqualTo(24);
        assertThat(info.getSecret()).isNotNull();
        assertThat(info.getSecret().getValue()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(info.getSecret().getExpirationDate()).as("client_secret_expires_at 0: never").isNull();
        assertThat(info.getIDIssueDate()).isNotNull();
        assertThat(info.getRegistrationAccessToken()).isNotNull();
        assertThat(info.getRegistrationURI()).isEqualTo(URI.create(endpoint + "/" + info.getID().getValue()));
        ClientMetadata registered = info.getMetadata();
        assertThat(registered.getTokenEndpointAuthMethod()).isEqualTo(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
        assertThat(registered.getRedirectionURIs()).containsExactly(URI.create("https://app.example.com/callback"));
        assertThat(registered.getGrantTypes()).containsExactlyInAnyOrder(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN);
        assertThat(registered.getResponseTypes()).containsExactly(ResponseType.CODE);
        assertThat(registered.getScope()).isEqualTo(Scope.parse("openid profile offline_access"));
        assertThat(registered.getName()).isEqualTo("Web app");

        ClientRegistration stored = stored(info.getID().getValue());
        assertThat(stored.type()).isEqualTo(ClientType.CONFIDENTIAL);
        assertThat(stored.redirectUris()).containsExactly("https://app.example.com/callback");
        assertThat(stored.webOrigins()).containsExactly("https://app.example.com");
        assertThat(stored.grantTypes()).containsExactlyInAnyOrder(io.latchkey.model.domain.GrantType.AUTHORIZATION_CODE,
                io.latchkey.model.domain.GrantType.REFRESH_TOKEN);
        assertThat(stored.scopes()).containsExactlyInAnyOrder("openid", "profile", "offline_access");
        assertThat(stored.applicationType()).isEqualTo(io.latchkey.model.domain.ApplicationType.WEB);
        assertThat(stored.firstParty()).as("a registered client always asks for consent").isFalse();
        assertThat(stored.resourceServer()).isFalse();
        assertThat(stored.secretHash()).startsWith("$argon2id$").doesNotContain(info.getSecret().getValue());
        assertThat(hasher.verify(info.getSecret().getValue().toCharArray(), stored.secretHash())).isTrue();

        List<Row> events = audit(info.getID().getValue(), "client.registered");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).getString(0)).isEqualTo("client:ops-robot");
        assertThat(events.get(0).getString(1)).contains("Web app")
                .doesNotContain(info.getSecret().getValue()).doesNotContain(info.getRegistrationAccessToken().getValue());
    }

    @Test
    void publicClientGetsNoSecretAndTheRfcDefaults() throws Exception {
        ClientInformation info = RegistrationClient.register(endpoint, RegistrationClient.spa());
        assertThat(info.getSecret()).isNull();
        assertThat(info.getMetadata().getTokenEndpointAuthMethod()).isEqualTo(ClientAuthenticationMethod.NONE);
        assertThat(info.getMetadata().getResponseTypes()).as("filled in").containsExactly(ResponseType.CODE);
        assertThat(info.getMetadata().getScope()).as("filled in: every offered scope")
                .isEqualTo(Scope.parse("openid profile email offline_access"));

        ClientRegistration stored = stored(info.getID().getValue());
        assertThat(stored.type()).isEqualTo(ClientType.PUBLIC);
        assertThat(stored.secretHash()).isNull();
        assertThat(stored.redirectUris()).containsExactly("http://localhost:5173/callback");
        assertThat(stored.grantTypes()).containsExactly(io.latchkey.model.domain.GrantType.AUTHORIZATION_CODE);
        assertThat(stored.signingAlg()).isEqualTo("RS256");
    }

    @Test
    void oidcNativeAppRegistersWithItsPrivateUseSchemeAndAlgorithm() throws Exception {
        OIDCClientMetadata metadata = new OIDCClientMetadata();
        metadata.setName("Native app");
        metadata.setApplicationType(ApplicationType.NATIVE);
        metadata.setRedirectionURIs(Set.of(URI.create("com.example.app:/oauth2redirect"), URI.create("http://127.0.0.1/callback")));
        metadata.setPostLogoutRedirectionURIs(Set.of(URI.create("com.example.app:/logged-out")));
        metadata.setGrantTypes(Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN));
        metadata.setTokenEndpointAuthMethod(ClientAuthenticationMethod.NONE);
        metadata.setIDTokenJWSAlg(JWSAlgorithm.ES256);
        HTTPResponse http = new OIDCClientRegistrationRequest(endpoint, metadata, RegistrationClient.operator()).toHTTPRequest().send();
        assertThat(http.getStatusCode()).isEqualTo(201);
        OIDCClientInformation info = ((OIDCClientInformationResponse) OIDCClientRegistrationResponseParser.parse(http))
                .getOIDCClientInformation();
        assertThat(info.getOIDCMetadata().getApplicationType()).isEqualTo(ApplicationType.NATIVE);
        assertThat(info.getOIDCMetadata().getIDTokenJWSAlg()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(info.getOIDCMetadata().getPostLogoutRedirectionURIs()).containsExactly(URI.create("com.example.app:/logged-out"));

        ClientRegistration stored = stored(info.getID().getValue());
        assertThat(stored.isNative()).isTrue();
        assertThat(stored.isPublic()).isTrue();
        assertThat(stored.signingAlg()).isEqualTo("ES256");
        assertThat(stored.redirectUris()).containsExactlyInAnyOrder("com.example.app:/oauth2redirect", "http://127.0.0.1/callback");
        assertThat(stored.postLogoutRedirectUris()).containsExactly("com.example.app:/logged-out");
    }

    /** RFC 9126 §6 and RFC 9449 §5.2: a client can ask to push every request and to have DPoP-bound tokens only. */
    @Test
    void pushedRequestsAndDpopBoundTokensAreRegisteredEchoedAndHeldToByTheDirectory() throws Exception {
        ClientMetadata strict = RegistrationClient.spa();
        strict.requiresPushedAuthorizationRequests(true);
        strict.setDPoPBoundAccessTokens(true);
        ClientInformation info = RegistrationClient.register(endpoint, strict);
        assertThat(info.getMetadata().requiresPushedAuthorizationRequests()).isTrue();
        assertThat(info.getMetadata().getDPoPBoundAccessTokens()).isTrue();
        ClientRegistration stored = stored(info.getID().getValue());
        assertThat(stored.requirePushedAuthorizationRequests()).isTrue();
        assertThat(stored.dpop()).isEqualTo(DpopPolicy.REQUIRED);

        HTTPResponse read = new ClientReadRequest(info.getRegistrationURI(), info.getRegistrationAccessToken()).toHTTPRequest().send();
        assertThat(read.getBodyAsJSONObject()).containsEntry("require_pushed_authorization_requests", true)
                .containsEntry("dpop_bound_access_tokens", true);

        // Replaced without them (RFC 7592 §2.2: the metadata replace the client's): both back to false.
        ClientInformation relaxed = success(new ClientUpdateRequest(info.getRegistrationURI(), info.getID(),
                info.getRegistrationAccessToken(), RegistrationClient.spa(), null).toHTTPRequest().send(), 200);
        assertThat(relaxed.getMetadata().requiresPushedAuthorizationRequests()).isFalse();
        assertThat(relaxed.getMetadata().getDPoPBoundAccessTokens()).isFalse();
        assertThat(stored(info.getID().getValue()).dpop()).isEqualTo(DpopPolicy.ALLOWED);
        assertThat(stored(info.getID().getValue()).requirePushedAuthorizationRequests()).isFalse();
    }

    @Test
    void withoutTheFlagsAClientIsAnsweredWithBothFalse() throws Exception {
        HTTPResponse http = RegistrationClient.request(endpoint, RegistrationClient.webApp(), RegistrationClient.operator()).send();
        assertThat(http.getStatusCode()).isEqualTo(201);
        assertThat(http.getBodyAsJSONObject()).containsEntry("require_pushed_authorization_requests", false)
                .containsEntry("dpop_bound_access_tokens", false);
    }

    @Test
    void readUpdateAndDeleteWithTheRegistrationAccessToken() throws Exception {
        ClientInformation info = RegistrationClient.register(endpoint, RegistrationClient.webApp());
        String clientId = info.getID().getValue();
        URI uri = info.getRegistrationURI();
        BearerAccessToken token = info.getRegistrationAccessToken();

        ClientInformation read = success(new ClientReadRequest(uri, token).toHTTPRequest().send(), 200);
        assertThat(read.getID()).isEqualTo(info.getID());
        assertThat(read.getSecret()).as("only its hash is kept").isNull();
        assertThat(read.getMetadata().getRedirectionURIs()).isEqualTo(info.getMetadata().getRedirectionURIs());

        ClientMetadata changed = RegistrationClient.webApp();
        changed.setRedirectionURIs(Set.of(URI.create("https://app.example.com/new-callback")));
        changed.setTokenEndpointAuthMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST);
        changed.setName("Web app, renamed");
        ClientInformation updated = success(new ClientUpdateRequest(uri, info.getID(), token, changed, info.getSecret())
                .toHTTPRequest().send(), 200);
        assertThat(updated.getMetadata().getTokenEndpointAuthMethod()).isEqualTo(ClientAuthenticationMethod.CLIENT_SECRET_POST);
        assertThat(updated.getRegistrationAccessToken()).as("rotated on update").isNotNull().isNotEqualTo(token);
        assertThat(updated.getSecret()).as("the secret stays, and is not shown again").isNull();
        ClientRegistration stored = stored(clientId);
        assertThat(stored.redirectUris()).containsExactly("https://app.example.com/new-callback");
        assertThat(stored.name()).isEqualTo("Web app, renamed");
        assertThat(hasher.verify(info.getSecret().getValue().toCharArray(), stored.secretHash())).isTrue();
        assertThat(audit(clientId, "client.updated")).singleElement()
                .satisfies(row -> assertThat(row.getString(0)).isEqualTo("registration:" + clientId));

        HTTPResponse deleted = new ClientDeleteRequest(uri, updated.getRegistrationAccessToken()).toHTTPRequest().send();
        assertThat(deleted.getStatusCode()).isEqualTo(204);
        assertThat(clients.find(clientId).await().atMost(WAIT)).isEmpty();
        assertThat(audit(clientId, "client.deleted")).singleElement()
                .satisfies(row -> assertThat(row.getString(0)).isEqualTo("registration:" + clientId));
    }

    @Test
    void publicClientThatBecomesConfidentialGetsASecretOnceAndBackAgainLosesIt() throws Exception {
        ClientInformation info = RegistrationClient.register(endpoint, RegistrationClient.spa());
        ClientMetadata confidential = RegistrationClient.spa();
        confidential.setTokenEndpointAuthMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
        ClientInformation updated = success(new ClientUpdateRequest(info.getRegistrationURI(), info.getID(),
                info.getRegistrationAccessToken(), confidential, null).toHTTPRequest().send(), 200);
        assertThat(updated.getSecret()).isNotNull();
        ClientRegistration stored = stored(info.getID().getValue());
        assertThat(stored.type()).isEqualTo(ClientType.CONFIDENTIAL);
        assertThat(hasher.verify(updated.getSecret().getValue().toCharArray(), stored.secretHash())).isTrue();

        ClientInformation again = success(new ClientUpdateRequest(info.getRegistrationURI(), info.getID(),
                updated.getRegistrationAccessToken(), RegistrationClient.spa(), null).toHTTPRequest().send(), 200);
        assertThat(again.getSecret()).isNull();
        assertThat(stored(info.getID().getValue()).secretHash()).isNull();
    }

    @Test
    void operatorTokenManagesAnyClient() throws Exception {
        ClientInformation info = RegistrationClient.register(endpoint, RegistrationClient.spa());
        ClientInformation read = success(new ClientReadRequest(info.getRegistrationURI(), RegistrationClient.operator())
                .toHTTPRequest().send(), 200);
        assertThat(read.getRegistrationAccessToken()).as("an operator does not see the client's token").isNull();

        ClientMetadata changed = RegistrationClient.spa();
        changed.setName("Renamed by ops");
        ClientInformation updated = success(new ClientUpdateRequest(info.getRegistrationURI(), info.getID(),
                RegistrationClient.operator(), changed, null).toHTTPRequest().send(), 200);
        assertThat(updated.getRegistrationAccessToken()).as("rotated, for the operator to hand over").isNotNull();
        assertThat(audit(info.getID().getValue(), "client.updated")).singleElement()
                .satisfies(row -> assertThat(row.getString(0)).isEqualTo("client:ops-robot"));

        assertThat(new ClientDeleteRequest(info.getRegistrationURI(), RegistrationClient.operator()).toHTTPRequest().send()
                .getStatusCode()).isEqualTo(204);
        assertThat(clients.find(info.getID().getValue()).await().atMost(WAIT)).isEmpty();
    }

    @Test
    void realmDeclaredClientCanBeReadAndDeletedByAnOperatorButNotReplaced() throws Exception {
        String clientId = "realm-client-" + System.nanoTime();
        ClientRegistration declared = new ClientRegistration(clientId, "From the realm file", ClientType.PUBLIC, null,
                List.of("https://realm.example.com/cb"), List.of(), List.of(), Set.of("openid"), null, true, null, null, null,
                null, false);
        pool.withTransaction(tx -> clients.save(tx, declared)).await().atMost(WAIT);
        URI uri = URI.create(endpoint + "/" + clientId);

        ClientInformation read = success(new ClientReadRequest(uri, RegistrationClient.operator()).toHTTPRequest().send(), 200);
        assertThat(read.getMetadata().getTokenEndpointAuthMethod()).isEqualTo(ClientAuthenticationMethod.NONE);
        BearerAccessToken someRegistrationToken = RegistrationClient.register(endpoint, RegistrationClient.spa())
                .getRegistrationAccessToken();
        assertThat(new ClientReadRequest(uri, someRegistrationToken).toHTTPRequest().send().getStatusCode())
                .as("no registration access token opens a realm-declared client").isEqualTo(401);
        assertThat(new ClientDeleteRequest(uri, someRegistrationToken).toHTTPRequest().send().getStatusCode()).isEqualTo(401);

        ClientMetadata replacement = RegistrationClient.spa();
        HTTPResponse refused = new ClientUpdateRequest(uri, new ClientID(clientId), RegistrationClient.operator(), replacement, null)
                .toHTTPRequest().send();
        assertThat(refused.getStatusCode()).isEqualTo(403);
        assertThat(refused.getBodyAsJSONObject().get("error")).isEqualTo("access_denied");
        assertThat(stored(clientId)).isEqualTo(declared);

        assertThat(new ClientDeleteRequest(uri, RegistrationClient.operator()).toHTTPRequest().send().getStatusCode()).isEqualTo(204);
        assertThat(clients.find(clientId).await().atMost(WAIT)).isEmpty();
        assertThat(audit(clientId, "client.deleted")).singleElement()
                .satisfies(row -> assertThat(row.getString(0)).isEqualTo("client:ops-robot"));
    }

    ClientRegistration stored(String clientId) {
        clients.changed(clientId);
        return clients.find(clientId).await().atMost(WAIT).orElseThrow();
    }

    List<Row> audit(String clientId, String type) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery("SELECT actor, details::text FROM audit_events WHERE client_id = $1 AND type = $2")
                .execute(Tuple.of(clientId, type)).await().atMost(WAIT).forEach(rows::add);
        return rows;
    }

    static ClientInformation success(HTTPResponse http, int status) throws Exception {
        assertThat(http.getStatusCode()).as(http.getBody()).isEqualTo(status);
        ClientRegistrationResponse response = ClientRegistrationResponse.parse(http);
        return ((ClientInformationResponse) response).getClientInformation();
    }
}
