package io.latchkey.authorize;

import static io.latchkey.authorize.TestBrowser.pageError;
import static io.latchkey.authorize.TestBrowser.redirectBase;
import static io.latchkey.authorize.TestBrowser.redirectParams;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.PushedAuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.PushedAuthorizationRequest;
import com.nimbusds.oauth2.sdk.PushedAuthorizationResponse;
import com.nimbusds.oauth2.sdk.PushedAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import io.latchkey.authorize.par.PushedRequests;
import io.latchkey.model.pkce.Pkce;
import io.latchkey.model.store.RedisKeys;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pushed authorization requests (RFC 9126) over real HTTP and Redis: clients push with Nimbus, as a real client
 * library does, and the browser completes /authorize with the request_uri. Then the attacks: a request_uri used
 * twice, after expiry, by another client; /authorize parameters that contradict the pushed ones; request objects.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class PushedAuthorizationRequestTest {

    private static final String SPA_CALLBACK = "https://spa.example.com/callback";
    private static final String BACKEND_CALLBACK = "https://backend.example.com/callback";
    private static final String BACKEND_SECRET = "backend-secret-for-tests";
    private static final String JKT = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

    @BeforeEach
    void forgetConsents() {
        LoginConsentFlowTest.forgetAllConsents();
    }

    private static URI endpoint(String path) {
        return URI.create("http://localhost:" + RestAssured.port + path);
    }

    /** What a client would ask for at /authorize, with PKCE, state and nonce. */
    private static AuthenticationRequest.Builder requestOf(String clientId, String callback) {
        return new AuthenticationRequest.Builder(new ResponseType("code"), new Scope("openid", "profile"), new ClientID(clientId),
                URI.create(callback))
                .state(new State("state-par"))
                .nonce(new Nonce("nonce-par"))
                .codeChallenge(new CodeVerifier(TestBrowser.VERIFIER), CodeChallengeMethod.S256);
    }

    private static HTTPResponse send(PushedAuthorizationRequest request) {
        try {
            return request.toHTTPRequest().send();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PushedAuthorizationResponse parse(HTTPResponse response) {
        try {
            return PushedAuthorizationResponse.parse(response);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Pushes a public client's request; the request_uri it got. */
    private static URI pushPublic(AuthenticationRequest request) {
        PushedAuthorizationResponse answer = parse(send(new PushedAuthorizationRequest(endpoint("/par"), request)));
        assertThat(answer.indicatesSuccess()).as("pushed: %s", answer.indicatesSuccess() ? "" : answer.toErrorResponse()
                .getErrorObject()).isTrue();
        return answer.toSuccessResponse().getRequestURI();
    }

    private static URI pushSpa() {
        return pushPublic(requestOf("spa", SPA_CALLBACK).build());
    }

    /** The browser at /authorize with the pushed request's request_uri, as Nimbus builds the link. */
    private static Response authorizeWith(TestBrowser browser, String clientId, URI requestUri) {
        URI link = new AuthorizationRequest.Builder(requestUri, new ClientID(clientId)).endpointURI(endpoint("/authorize"))
                .build().toURI();
        return browser.authorizeRaw(link.getRawQuery());
    }

    private static Response authorizeWith(TestBrowser browser, Map<String, String> params) {
        return browser.authorize(params);
    }

    private static Response pushForm(Map<String, String> form) {
        return given().redirects().follow(false).contentType("application/x-www-form-urlencoded").formParams(form).post("/par");
    }

    private static Map<String, String> spaForm() {
        Map<String, String> form = new LinkedHashMap<>(TestBrowser.validRequest());
        form.put("state", "state-par");
        return form;
    }

    private static String storedKey(URI requestUri) {
        return RedisKeys.pushedRequest(OpaqueToken.sha256(requestUri.toString()));
    }

    private static Set<String> pushedKeys() {
        String reply = TestRedis.get().command("KEYS", "lk:{par:*");
        return reply == null || reply.isEmpty() ? Set.of()
                : Arrays.stream(reply.split("\n")).filter(k -> !k.isEmpty()).collect(Collectors.toSet());
    }

    private static String grantOf(Response redirect) {
        OpaqueToken code = OpaqueToken.parse(redirectParams(redirect).get("code")).orElseThrow();
        return TestRedis.get().command("GET", RedisKeys.code(code.family(), code.hash()));
    }

    private static void assertJsonError(Response response, int status, String error) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.getHeader("Location")).as("never a redirect").isNull();
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
        assertThat(response.jsonPath().getString("error")).isEqualTo(error);
        assertThat(response.jsonPath().getString("error_description")).isNotBlank();
    }

    private static void assertInvalidRequestUriPage(Response response) {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.getHeader("Location")).as("nothing is proven: no redirect").isNull();
        assertThat(pageError(response)).isEqualTo("invalid_request_uri");
    }

    // --- Pushing and using a pushed request ---

    @Test
    void publicClientPushesWithNimbusThenAuthorizeWithTheRequestUriSignsInAndGetsTheCode() {
        HTTPResponse http = send(new PushedAuthorizationRequest(endpoint("/par"), requestOf("spa", SPA_CALLBACK).build()));
        assertThat(http.getStatusCode()).isEqualTo(201);
        assertThat(http.getHeaderValue("Cache-Control")).isEqualTo("no-store");
        PushedAuthorizationSuccessResponse pushed = parse(http).toSuccessResponse();
        URI requestUri = pushed.getRequestURI();
        assertThat(requestUri.toString()).startsWith(PushedRequests.URN_PREFIX).hasSize(PushedRequests.URN_PREFIX.length() + 43);
        assertThat(pushed.getLifetime()).isEqualTo(60);
        assertThat(Long.parseLong(TestRedis.get().command("PTTL", storedKey(requestUri)))).isBetween(1L, 60_000L);

        TestBrowser browser = new TestBrowser();
        Response login = authorizeWith(browser, "spa", requestUri);
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.asString()).contains("name=\"password\"");
        assertThat(TestRedis.get().command("EXISTS", storedKey(requestUri))).as("taken at its first use").isEqualTo("0");

        Response consent = browser.login(login, "alice", "alice-password");
        Response done = browser.consent(consent, "approve");
        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(redirectBase(done)).isEqualTo(SPA_CALLBACK);
        assertThat(redirectParams(done)).containsEntry("state", "state-par").containsEntry("iss", AuthorizeValidationTest.ISSUER)
                .containsKey("code");
        assertThat(grantOf(done)).contains("\"clientId\":\"spa\"").contains("\"redirectUri\":\"" + SPA_CALLBACK + "\"")
                .contains("\"nonce\":\"nonce-par\"").contains("\"codeChallenge\":\"" + TestBrowser.CHALLENGE + "\"");
    }

    @Test
    void confidentialClientPushesWithClientSecretBasicThenSignsInAndTheSecretIsNeverStored() {
        ClientSecretBasic basic = new ClientSecretBasic(new ClientID("web-backend"), new Secret(BACKEND_SECRET));
        PushedAuthorizationResponse answer = parse(send(new PushedAuthorizationRequest(endpoint("/par"), basic,
                requestOf("web-backend", BACKEND_CALLBACK).build())));
        assertThat(answer.indicatesSuccess()).isTrue();
        URI requestUri = answer.toSuccessResponse().getRequestURI();
        assertThat(TestRedis.get().command("GET", storedKey(requestUri))).contains("web-backend").doesNotContain(BACKEND_SECRET);

        TestBrowser browser = new TestBrowser();
        Response done = browser.login(authorizeWith(browser, "web-backend", requestUri), "alice", "alice-password");
        assertThat(done.statusCode()).as("first-party: no consent page").isEqualTo(303);
        assertThat(redirectBase(done)).isEqualTo(BACKEND_CALLBACK);
        assertThat(grantOf(done)).contains("\"clientId\":\"web-backend\"");

        // client_secret_post: the form's secret is checked and not kept either.
        Map<String, String> form = new LinkedHashMap<>(spaForm());
        form.put("client_id", "web-backend");
        form.put("redirect_uri", BACKEND_CALLBACK);
        form.put("client_secret", BACKEND_SECRET);
        Response posted = pushForm(form);
        assertThat(posted.statusCode()).isEqualTo(201);
        assertThat(TestRedis.get().command("GET", storedKey(URI.create(posted.jsonPath().getString("request_uri")))))
                .doesNotContain(BACKEND_SECRET).doesNotContain("client_secret");
    }

    @Test
    void confidentialClientWithWrongSecretThen401InvalidClientAndNothingStored() {
        Set<String> before = pushedKeys();
        ClientSecretBasic wrong = new ClientSecretBasic(new ClientID("web-backend"), new Secret("not-the-secret"));
        HTTPResponse http = send(new PushedAuthorizationRequest(endpoint("/par"), wrong, requestOf("web-backend", BACKEND_CALLBACK).build()));
        assertThat(http.getStatusCode()).isEqualTo(401);
        assertThat(http.getHeaderValue("WWW-Authenticate")).startsWith("Basic");
        PushedAuthorizationErrorResponse error = parse(http).toErrorResponse();
        assertThat(error.getErrorObject().getCode()).isEqualTo("invalid_client");

        // Without its secret a confidential client is answered like an unknown one; a public client may not send one.
        Map<String, String> noSecret = new LinkedHashMap<>(spaForm());
        noSecret.put("client_id", "web-backend");
        noSecret.put("redirect_uri", BACKEND_CALLBACK);
        assertJsonError(pushForm(noSecret), 401, "invalid_client");
        Map<String, String> publicWithSecret = new LinkedHashMap<>(spaForm());
        publicWithSecret.put("client_secret", "anything");
        assertJsonError(pushForm(publicWithSecret), 401, "invalid_client");
        assertJsonError(pushForm(TestBrowser.with(spaForm(), "client_id", "no-such-client")), 401, "invalid_client");
        assertThat(pushedKeys()).isEqualTo(before);
    }

    // --- The request_uri: single use, short-lived, bound to its client ---

    @Test
    void requestUriUsedTwiceThenTheSecondUseIsInvalidRequestUriOnAPage() {
        URI requestUri = pushSpa();
        assertThat(authorizeWith(new TestBrowser(), "spa", requestUri).statusCode()).isEqualTo(200);
        assertInvalidRequestUriPage(authorizeWith(new TestBrowser(), "spa", requestUri));
    }

    @Test
    void requestUriAfterExpiryThenInvalidRequestUriOnAPage() throws InterruptedException {
        URI requestUri = pushSpa();
        // Its lifetime ends now in the real Redis, as it would after latchkey.par.lifetime.
        TestRedis.get().command("PEXPIRE", storedKey(requestUri), "1");
        Thread.sleep(20);
        assertInvalidRequestUriPage(authorizeWith(new TestBrowser(), "spa", requestUri));
    }

    @Test
    void requestUriPresentedByAnotherClientThenInvalidRequestUriAndItIsSpent() {
        URI requestUri = pushSpa();
        assertInvalidRequestUriPage(authorizeWith(new TestBrowser(), "other", requestUri));
        assertInvalidRequestUriPage(authorizeWith(new TestBrowser(), "spa", requestUri));
        // Made up, or without its client_id: the same page.
        assertInvalidRequestUriPage(authorizeWith(new TestBrowser(), "spa", URI.create(PushedRequests.URN_PREFIX + "made-up")));
        Response noClient = new TestBrowser().authorize(Map.of("request_uri", pushSpa().toString()));
        assertThat(noClient.statusCode()).isEqualTo(400);
        assertThat(noClient.getHeader("Location")).isNull();
    }

    // --- /authorize parameters beside the request_uri ---

    @Test
    void authorizeParametersContradictingThePushedOnesThenInvalidRequestToThePushedRedirectUri() {
        Map<String, String> contradictions = new LinkedHashMap<>();
        contradictions.put("redirect_uri", "https://spa.example.com/cb?tenant=a");
        contradictions.put("scope", "openid profile email");
        contradictions.put("code_challenge", Pkce.s256("another-verifier-of-the-attacker-0123456789-abcdef"));
        contradictions.put("state", "forged-state");
        for (Map.Entry<String, String> contradiction : contradictions.entrySet()) {
            URI requestUri = pushSpa();
            Map<String, String> params = new LinkedHashMap<>();
            params.put("client_id", "spa");
            params.put("request_uri", requestUri.toString());
            params.put(contradiction.getKey(), contradiction.getValue());
            Response refused = authorizeWith(new TestBrowser(), params);
            assertThat(refused.statusCode()).as(contradiction.getKey()).isEqualTo(302);
            assertThat(redirectBase(refused)).as("the pushed, proven redirect_uri").isEqualTo(SPA_CALLBACK);
            Map<String, String> answer = redirectParams(refused);
            assertThat(answer).containsEntry("error", "invalid_request").containsEntry("state", "state-par").doesNotContainKey("code");
            assertThat(answer.get("error_description")).contains(contradiction.getKey());
        }
    }

    @Test
    void authorizeParametersRepeatingThePushedValuesThenAccepted() {
        URI requestUri = pushSpa();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("client_id", "spa");
        params.put("request_uri", requestUri.toString());
        params.put("response_type", "code");
        params.put("scope", "openid profile");
        params.put("redirect_uri", SPA_CALLBACK);
        assertThat(authorizeWith(new TestBrowser(), params).statusCode()).isEqualTo(200);
    }

    // --- Clients that must push ---

    @Test
    void clientRequiringPushedRequestsWhenPlainAuthorizeThenInvalidRequestRedirectAndPushedRequestSignsIn() {
        Map<String, String> plain = TestBrowser.with(TestBrowser.with(TestBrowser.validRequest(), "client_id", "par-only"),
                "redirect_uri", "https://par.example.com/callback");
        Response refused = new TestBrowser().authorize(plain);
        assertThat(refused.statusCode()).isEqualTo(302);
        assertThat(redirectBase(refused)).isEqualTo("https://par.example.com/callback");
        assertThat(redirectParams(refused)).containsEntry("error", "invalid_request").containsEntry("state", "state-123")
                .doesNotContainKey("code");
        assertThat(redirectParams(refused).get("error_description")).contains("/par");

        URI requestUri = pushPublic(requestOf("par-only", "https://par.example.com/callback").build());
        TestBrowser browser = new TestBrowser();
        Response done = browser.login(authorizeWith(browser, "par-only", requestUri), "alice", "alice-password");
        assertThat(redirectBase(done)).isEqualTo("https://par.example.com/callback");
        assertThat(redirectParams(done)).containsKey("code");
    }

    // --- What /par refuses, in JSON ---

    @Test
    void pushWhenRequestUriInsideThenInvalidRequestAndWhenRequestObjectThenRequestNotSupported() {
        assertJsonError(pushForm(TestBrowser.with(spaForm(), "request_uri", PushedRequests.URN_PREFIX + "x")), 400, "invalid_request");
        assertJsonError(pushForm(TestBrowser.with(spaForm(), "request", "eyJhbGciOiJub25lIn0.e30.")), 400, "request_not_supported");
        Map<String, String> onlyObject = new LinkedHashMap<>();
        onlyObject.put("client_id", "spa");
        onlyObject.put("request", "eyJhbGciOiJub25lIn0.e30.");
        assertJsonError(pushForm(onlyObject), 400, "request_not_supported");
    }

    @Test
    void pushWhenTheRequestFailsTheAuthorizeChecksThenJsonErrorNeverARedirect() {
        assertJsonError(pushForm(TestBrowser.with(spaForm(), "redirect_uri", "https://evil.example.net/callback")), 400, "invalid_request");
        assertJsonError(pushForm(TestBrowser.with(spaForm(), "redirect_uri", null)), 400, "invalid_request");
        assertJsonError(pushForm(TestBrowser.with(spaForm(), "scope", "openid admin")), 400, "invalid_scope");
        assertJsonError(pushForm(TestBrowser.with(spaForm(), "code_challenge", null)), 400, "invalid_request");
        assertJsonError(pushForm(TestBrowser.with(spaForm(), "response_type", "token")), 400, "unsupported_response_type");
        assertJsonError(pushForm(TestBrowser.with(spaForm(), "dpop_jkt", "not-a-thumbprint")), 400, "invalid_request");
        Map<String, String> machine = TestBrowser.with(TestBrowser.with(spaForm(), "client_id", "machine"), "redirect_uri",
                "https://machine.example.com/callback");
        machine.put("client_secret", "machine-secret-for-tests");
        assertJsonError(pushForm(machine), 400, "unauthorized_client");
    }

    @Test
    void pushWhenNotAFormOrAParameterRepeatedThenInvalidRequest() {
        Response json = given().contentType("application/json").body("{\"client_id\":\"spa\"}").post("/par");
        assertJsonError(json, 400, "invalid_request");
        Response repeated = given().contentType("application/x-www-form-urlencoded")
                .body("client_id=spa&client_id=other&response_type=code").post("/par");
        assertJsonError(repeated, 400, "invalid_request");
    }

    // --- DPoP (RFC 9449 §10.1) ---

    @Test
    void pushWithDpopJktThenTheCodeIsBoundToThatKey() {
        URI requestUri = pushPublic(requestOf("spa", SPA_CALLBACK).customParameter("dpop_jkt", JKT).build());
        TestBrowser browser = new TestBrowser();
        Response consent = browser.login(authorizeWith(browser, "spa", requestUri), "alice", "alice-password");
        Response done = browser.consent(consent, "approve");
        assertThat(grantOf(done)).contains("\"dpopJkt\":\"" + JKT + "\"");
    }

    @Test
    void pushWithADpopProofThatCannotBeVerifiedThenInvalidDpopProofAndNothingStored() {
        Set<String> before = pushedKeys();
        Response response = given().contentType("application/x-www-form-urlencoded").header("DPoP", "not-a-proof")
                .formParams(spaForm()).post("/par");
        assertJsonError(response, 400, "invalid_dpop_proof");
        assertThat(pushedKeys()).isEqualTo(before);
    }
}
