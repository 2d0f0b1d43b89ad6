package io.latchkey.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.client.ClientInformation;
import com.nimbusds.oauth2.sdk.client.ClientMetadata;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationRequest;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationResponse;
import com.nimbusds.oauth2.sdk.client.ClientInformationResponse;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.AuthenticationSuccessResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import io.latchkey.testing.TestRedis;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Administration as an operator does it, over the whole stack (authorize-service, two token-service replicas,
 * admin-service, one Redis, one PostgreSQL): a user created through SCIM signs in in Chromium at once; disabling
 * them through SCIM ends their SSO session and refresh token on every replica within one second; a client
 * registered through RFC 7591 (Nimbus) completes the code flow with PKCE; the audit trail names each change's actor.
 * Every admin call carries an access token that token-service issued by client_credentials.
 */
class AdminProvisioningTest {

    private static final String SCIM_JSON = "application/scim+json";

    private static Stack stack;
    private static WebDriver browser;
    private static String adminToken;

    @BeforeAll
    static void start() throws Exception {
        stack = Stack.start(2);
        stack.admin();
        browser = Chromium.start();
        Wire.Answer token = Wire.postForm(stack.tokenUrl(0) + "/token",
                Map.of("grant_type", "client_credentials", "scope", "scim clients sessions audit"),
                "Authorization", Wire.basic(Stack.ADMIN_CLIENT, Stack.ADMIN_SECRET));
        assertThat(token.status()).as("admin token: %s", token).isEqualTo(200);
        adminToken = token.string("access_token");
    }

    @AfterAll
    static void stop() {
        Chromium.stop(browser, stack);
    }

    @Test
    void scimUserSignsInAtOnceAndDisablingEndsTheirSessionAndRefreshTokenOnEveryReplica() throws Exception {
        Wire.Answer created = admin("POST", "/scim/v2/Users", """
                {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                 "userName": "grace.hopper", "name": {"givenName": "Grace", "familyName": "Hopper"},
                 "emails": [{"value": "grace@example.com", "type": "work", "primary": true}],
                 "password": "Cobol-1959-compiler!", "active": true}""");
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(created.body()).doesNotContain("Cobol-1959-compiler!");
        String userId = created.string("id");

        // At once: no restart, no cache to wait for.
        String redirect = "http://127.0.0.1:" + TestRedis.freePort() + "/callback";
        OidcClient client = new OidcClient(stack.issuer, Stack.NATIVE_CLIENT, redirect);
        OidcClient.Attempt attempt = client.newAttempt();
        URI callback = signInInBrowser(attempt.request().toURI(), "grace.hopper", "Cobol-1959-compiler!");
        AuthenticationSuccessResponse success = client.parseCallback(callback);
        TokenResponse tokens = client.exchange(URI.create(stack.tokenUrl(0) + "/token"), success.getAuthorizationCode(),
                attempt.verifier());
        assertThat(tokens.indicatesSuccess()).as("%s", tokens).isTrue();
        OIDCTokenResponse oidc = (OIDCTokenResponse) tokens.toSuccessResponse();
        assertThat(oidc.getOIDCTokens().getIDToken().getJWTClaimsSet().getSubject()).isEqualTo(userId);
        // The SCIM name is the user's OIDC claims, at /userinfo of either replica.
        Wire.Answer userinfo = Grants.userinfo(stack, 1, oidc.getOIDCTokens().getAccessToken().getValue());
        assertThat(userinfo.json()).containsEntry("given_name", "Grace").containsEntry("family_name", "Hopper")
                .containsEntry("email", "grace@example.com");
        String refreshToken = oidc.getOIDCTokens().getRefreshToken().getValue();

        Wire.Answer disabled = admin("PATCH", "/scim/v2/Users/" + userId, """
                {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations": [{"op": "replace", "path": "active", "value": false}]}""");
        assertThat(disabled.status()).as("%s", disabled).isEqualTo(200);
        long disabledAt = System.nanoTime();

        // Each replica refuses the refresh token, and the browser's session no longer renews silently.
        for (int replica = 0; replica < stack.tokens.size(); replica++) {
            Wire.Answer refresh = Wire.postForm(stack.tokenUrl(replica) + "/token", Grants.refreshForm(refreshToken));
            assertThat(refresh.status()).as("replica %d: %s", replica, refresh).isEqualTo(400);
            assertThat(refresh.error()).isEqualTo("invalid_grant");
        }
        OidcClient.Attempt silent = client.newAttempt();
        openLandingOnTheLoopback(silent.request().toURI() + "&prompt=none");
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.urlContains("error="));
        assertThat(browser.getCurrentUrl()).contains("error=login_required");
        assertThat(Duration.ofNanos(System.nanoTime() - disabledAt)).isLessThan(Duration.ofSeconds(1));

        // The password does not open a new session either.
        OidcClient.Attempt again = client.newAttempt();
        browser.get(again.request().toURI().toString());
        WebDriverWait waiting = new WebDriverWait(browser, Duration.ofSeconds(20));
        waiting.until(ExpectedConditions.presenceOfElementLocated(By.name("password")));
        browser.findElement(By.name("username")).sendKeys("grace.hopper");
        browser.findElement(By.name("password")).sendKeys("Cobol-1959-compiler!");
        browser.findElement(By.cssSelector("form button[type=submit], form input[type=submit]")).click();
        waiting.until(ExpectedConditions.presenceOfElementLocated(By.id("problem")));
        assertThat(browser.getCurrentUrl()).doesNotContain("code=");

        List<Map<String, Object>> events = events("subject=" + userId);
        assertThat(events).extracting(e -> e.get("type")).contains("user.created", "login.succeeded", "user.disabled");
        assertThat(events).filteredOn(e -> "user.created".equals(e.get("type")) || "user.disabled".equals(e.get("type")))
                .allSatisfy(e -> assertThat(e.get("actor")).isEqualTo("client:" + Stack.ADMIN_CLIENT));
    }

    @Test
    void deletedUsersRefreshTokenIsRefusedOnEveryReplica() throws Exception {
        Wire.Answer created = admin("POST", "/scim/v2/Users", """
                {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                 "userName": "ada.lovelace", "password": "Analytical-Engine-1843!"}""");
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        String redirect = "http://127.0.0.1:" + TestRedis.freePort() + "/callback";
        OidcClient client = new OidcClient(stack.issuer, Stack.NATIVE_CLIENT, redirect);
        OidcClient.Attempt attempt = client.newAttempt();
        URI callback = new FormDriver().authorize(attempt.request().toURI(), redirect, "ada.lovelace", "Analytical-Engine-1843!");
        TokenResponse tokens = client.exchange(URI.create(stack.tokenUrl(1) + "/token"),
                client.parseCallback(callback).getAuthorizationCode(), attempt.verifier());
        assertThat(tokens.indicatesSuccess()).as("%s", tokens).isTrue();
        String refreshToken = tokens.toSuccessResponse().getTokens().getRefreshToken().getValue();

        Wire.Answer deleted = Wire.send(HttpRequest.newBuilder(URI.create(stack.adminUrl() + "/scim/v2/Users/" + created.string("id")))
                .header("Authorization", "Bearer " + adminToken).DELETE(), Duration.ofSeconds(30));
        assertThat(deleted.status()).as("%s", deleted).isEqualTo(204);
        for (int replica = 0; replica < stack.tokens.size(); replica++) {
            Wire.Answer refresh = Wire.postForm(stack.tokenUrl(replica) + "/token", Grants.refreshForm(refreshToken));
            assertThat(refresh.error()).as("replica %d: %s", replica, refresh).isEqualTo("invalid_grant");
        }
    }

    @Test
    void clientRegisteredThroughRfc7591CompletesTheCodeFlowWithPkce() throws Exception {
        String redirect = "http://127.0.0.1:" + TestRedis.freePort() + "/callback";
        OidcClient discovery = new OidcClient(stack.issuer, Stack.NATIVE_CLIENT, redirect);
        URI registrationEndpoint = discovery.provider.getRegistrationEndpointURI();
        assertThat(registrationEndpoint).isEqualTo(URI.create(stack.adminUrl() + "/register"));

        ClientMetadata metadata = new ClientMetadata();
        metadata.setRedirectionURI(URI.create(redirect));
        metadata.setName("Registered at run time");
        metadata.setTokenEndpointAuthMethod(ClientAuthenticationMethod.NONE);
        metadata.setGrantTypes(Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN));
        metadata.setResponseTypes(Set.of(ResponseType.CODE));
        metadata.setScope(new Scope("openid", "profile", "email", "offline_access"));
        ClientRegistrationResponse response = ClientRegistrationResponse.parse(
                new ClientRegistrationRequest(registrationEndpoint, metadata, new BearerAccessToken(adminToken))
                        .toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).as("%s", response).isTrue();
        ClientInformation registered = ((ClientInformationResponse) response).getClientInformation();

        OidcClient client = new OidcClient(stack.issuer, registered.getID().getValue(), redirect);
        OidcClient.Attempt attempt = client.newAttempt();
        URI callback = new FormDriver().authorize(attempt.request().toURI(), redirect, Stack.USERNAME, Stack.PASSWORD);
        TokenResponse tokens = client.exchange(client.provider.getTokenEndpointURI(),
                client.parseCallback(callback).getAuthorizationCode(), attempt.verifier());
        assertThat(tokens.indicatesSuccess()).as("%s", tokens).isTrue();
        assertThat(client.verifyAccessToken(tokens.toSuccessResponse().getTokens().getAccessToken().getValue())
                .getStringClaim("client_id")).isEqualTo(registered.getID().getValue());

        List<Map<String, Object>> events = events("client_id=" + registered.getID().getValue());
        assertThat(events).filteredOn(e -> "client.registered".equals(e.get("type")))
                .singleElement().satisfies(e -> assertThat(e.get("actor")).isEqualTo("client:" + Stack.ADMIN_CLIENT));
    }

    private static URI signInInBrowser(URI authorizationRequest, String username, String password) {
        browser.manage().deleteAllCookies();
        browser.get(authorizationRequest.toString());
        WebDriverWait waiting = new WebDriverWait(browser, Duration.ofSeconds(20));
        waiting.until(ExpectedConditions.presenceOfElementLocated(By.name("password")));
        browser.findElement(By.name("username")).sendKeys(username);
        browser.findElement(By.name("password")).sendKeys(password);
        browser.findElement(By.cssSelector("form button[type=submit], form input[type=submit]")).click();
        waiting.until(ExpectedConditions.elementToBeClickable(By.cssSelector("[value=approve]"))).click();
        waiting.withMessage(() -> "never left " + browser.getCurrentUrl()).until(ExpectedConditions.urlContains("code="));
        return URI.create(browser.getCurrentUrl());
    }

    /**
     * Opens a URL that may end at the native client's loopback redirect, where nothing listens: the browser then
     * reports the refused connection, and the URL it was sent to is what the test reads.
     */
    private static void openLandingOnTheLoopback(String url) {
        try {
            browser.get(url);
        } catch (org.openqa.selenium.WebDriverException e) {
            if (!String.valueOf(e.getMessage()).contains("ERR_CONNECTION_REFUSED")) {
                throw e;
            }
        }
    }

    private static Wire.Answer admin(String method, String path, String json) {
        return Wire.send(HttpRequest.newBuilder(URI.create(stack.adminUrl() + path))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", SCIM_JSON)
                .method(method, HttpRequest.BodyPublishers.ofString(json)), Duration.ofSeconds(30));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> events(String query) {
        Wire.Answer answer = Wire.get(stack.adminUrl() + "/admin/events?limit=500&" + query,
                "Authorization", "Bearer " + adminToken);
        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        return ((List<Object>) answer.json().get("events")).stream().map(e -> (Map<String, Object>) e)
                .collect(Collectors.toList());
    }
}
