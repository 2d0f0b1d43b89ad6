package io.latchkey.authorize;

import static io.latchkey.authorize.TestBrowser.pageError;
import static io.latchkey.authorize.TestBrowser.redirectBase;
import static io.latchkey.authorize.TestBrowser.redirectParams;
import static io.latchkey.authorize.TestBrowser.validRequest;
import static io.latchkey.authorize.TestBrowser.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every row of the validation order of {@code /authorize}: errors before client and redirect_uri are
 * proven are a 400 page and never a redirect; errors after go back to the client with error, state and iss.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class AuthorizeValidationTest {

    static final String ISSUER = "http://localhost:8080";

    private static void assertErrorPage(Response response, String error) {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.getHeader("Location")).as("no redirect").isNull();
        assertThat(response.contentType()).startsWith("text/html");
        assertThat(pageError(response)).isEqualTo(error);
        assertThat(response.asString()).doesNotContain("Exception").doesNotContain("at io.");
    }

    private static void assertErrorRedirect(Response response, String redirectUri, String error) {
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(redirectBase(response)).isEqualTo(redirectUri);
        Map<String, String> params = redirectParams(response);
        assertThat(params.get("error")).isEqualTo(error);
        assertThat(params.get("error_description")).isNotBlank();
        assertThat(params.get("state")).isEqualTo("state-123");
        assertThat(params.get("iss")).isEqualTo(ISSUER);
        assertThat(params).doesNotContainKey("code");
    }

    private static Response authorize(Map<String, String> params) {
        return new TestBrowser().authorize(params);
    }

    // --- Before client and redirect_uri are proven: a page, never a redirect ---

    @Test
    void authorizeWhenClientIdMissingThenErrorPageAndNoRedirect() {
        assertErrorPage(authorize(with(validRequest(), "client_id", null)), "invalid_request");
    }

    @Test
    void authorizeWhenClientUnknownThenErrorPageAndNoRedirect() {
        assertErrorPage(authorize(with(validRequest(), "client_id", "no-such-client")), "invalid_request");
    }

    @Test
    void authorizeWhenClientIdRepeatedThenErrorPageAndNoRedirect() {
        assertErrorPage(new TestBrowser().authorizeRaw("client_id=spa&client_id=other&redirect_uri="
                + "https%3A%2F%2Fspa.example.com%2Fcallback&response_type=code"), "invalid_request");
    }

    @Test
    void authorizeWhenClientIdOversizedThenErrorPageAndNoRedirect() {
        assertErrorPage(authorize(with(validRequest(), "client_id", "c".repeat(256))), "invalid_request");
    }

    @Test
    void authorizeWhenRedirectUriMissingThenErrorPageAndNoRedirect() {
        assertErrorPage(authorize(with(validRequest(), "redirect_uri", null)), "invalid_request");
    }

    @Test
    void authorizeWhenRedirectUriNotRegisteredThenErrorPageAndNoRedirect() {
        assertErrorPage(authorize(with(validRequest(), "redirect_uri", "https://evil.example.net/callback")), "invalid_request");
    }

    @Test
    void authorizeWhenRedirectUriOnlyStartsLikeRegisteredThenErrorPageAndNoRedirect() {
        assertErrorPage(authorize(with(validRequest(), "redirect_uri", "https://spa.example.com/callback/../evil")), "invalid_request");
        assertErrorPage(authorize(with(validRequest(), "redirect_uri", "https://spa.example.com/callback?x=1")), "invalid_request");
        assertErrorPage(authorize(with(validRequest(), "redirect_uri", "https://spa.example.com:8443/callback")), "invalid_request");
    }

    @Test
    void authorizeWhenRedirectUriRepeatedThenErrorPageAndNoRedirect() {
        assertErrorPage(new TestBrowser().authorizeRaw("client_id=spa&redirect_uri=https%3A%2F%2Fspa.example.com%2Fcallback"
                + "&redirect_uri=https%3A%2F%2Fevil.example.net%2F&response_type=code"), "invalid_request");
    }

    @Test
    void authorizeWhenLoopbackRedirectOfNativeClientOnAnotherPortThenAccepted() {
        Map<String, String> v4 = with(with(validRequest(), "client_id", "native"), "redirect_uri", "http://127.0.0.1:51234/callback");
        assertThat(authorize(v4).statusCode()).isEqualTo(200);
        Map<String, String> v6 = with(with(validRequest(), "client_id", "native"), "redirect_uri", "http://[::1]:4711/callback");
        assertThat(authorize(v6).statusCode()).isEqualTo(200);
    }

    @Test
    void authorizeWhenLoopbackRedirectHasAnotherPathOrLocalhostThenErrorPageAndNoRedirect() {
        Map<String, String> native_ = with(validRequest(), "client_id", "native");
        assertErrorPage(authorize(with(native_, "redirect_uri", "http://127.0.0.1:51234/other")), "invalid_request");
        // RFC 8252 §8.3: "localhost" is not a loopback IP literal and gets no port leeway.
        assertErrorPage(authorize(with(native_, "redirect_uri", "http://localhost:51234/callback")), "invalid_request");
        assertErrorPage(authorize(with(native_, "redirect_uri", "https://127.0.0.1:51234/callback")), "invalid_request");
    }

    @Test
    void authorizeWhenLoopbackRedirectPortIsZeroOrPastRangeThenErrorPageAndNoRedirect() {
        Map<String, String> native_ = with(validRequest(), "client_id", "native");
        assertErrorPage(authorize(with(native_, "redirect_uri", "http://127.0.0.1:0/callback")), "invalid_request");
        assertErrorPage(authorize(with(native_, "redirect_uri", "http://127.0.0.1:65536/callback")), "invalid_request");
        assertErrorPage(authorize(with(native_, "redirect_uri", "http://[::1]:99999999999/callback")), "invalid_request");
        assertThat(authorize(with(native_, "redirect_uri", "http://127.0.0.1:65535/callback")).statusCode()).isEqualTo(200);
    }

    /**
     * The attack of issue 11 item 2: a browser SPA served from http://127.0.0.1:5173 during development is a
     * web client, so another program listening on another port of the user's machine must not receive its
     * code through a silent (prompt=none) request of the signed-in user.
     */
    @Test
    void authorizeWhenWebClientLoopbackRedirectOnAnotherPortWithPromptNoneThenErrorPageAndNoCode() {
        TestBrowser browser = new TestBrowser();
        Map<String, String> spa = with(with(validRequest(), "client_id", "loopback-spa"), "redirect_uri", "http://127.0.0.1:5173/cb");
        Response signedIn = browser.login(browser.authorize(spa), "alice", "alice-password");
        assertThat(redirectBase(signedIn)).as("the registered port gets its code").isEqualTo("http://127.0.0.1:5173/cb");
        assertThat(redirectParams(signedIn)).containsKey("code");
        Response silent = browser.authorize(with(spa, "prompt", "none"));
        assertThat(redirectBase(silent)).as("the session is live").isEqualTo("http://127.0.0.1:5173/cb");
        assertThat(redirectParams(silent)).containsKey("code");

        for (String listener : new String[] {"http://127.0.0.1:6000/cb", "http://127.0.0.1/cb", "http://[::1]:5173/cb"}) {
            Response stolen = browser.authorize(with(with(spa, "prompt", "none"), "redirect_uri", listener));
            assertErrorPage(stolen, "invalid_request");
            assertThat(stolen.asString()).doesNotContain("code=");
        }
    }

    @Test
    void authorizeWhenPrivateUseSchemeRegisteredThenAcceptedAndOtherSchemeRefused() {
        Map<String, String> native_ = with(validRequest(), "client_id", "native");
        assertThat(authorize(with(native_, "redirect_uri", "com.example.app:/oauth2redirect")).statusCode()).isEqualTo(200);
        assertErrorPage(authorize(with(native_, "redirect_uri", "com.evil.app:/oauth2redirect")), "invalid_request");
    }

    @Test
    void authorizeWhenParametersAreNotUtf8ThenErrorPageAndNoRedirect() {
        assertErrorPage(new TestBrowser().authorizeRaw("client_id=spa&redirect_uri=https%3A%2F%2Fspa.example.com%2Fcallback"
                + "&response_type=code&state=%FF%FE"), "invalid_request");
    }

    @Test
    void authorizeWhenPercentEncodingMalformedThenErrorPageAndNoRedirect() {
        TestBrowser.RawResponse response = TestBrowser.rawGet("/authorize?client_id=spa&redirect_uri="
                + "https%3A%2F%2Fspa.example.com%2Fcallback&state=%G1");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.head()).doesNotContainIgnoringCase("Location:");
        // The HTTP layer refuses a malformed escape before the endpoint runs: still a 400 without redirect.
        assertThat(response.body()).doesNotContain("Exception");
    }

    @Test
    void authorizeWhenWholeQueryOversizedThenErrorPageAndNoRedirect() {
        assertErrorPage(authorize(with(validRequest(), "padding", "p".repeat(9000))), "invalid_request");
    }

    // --- After client and redirect_uri are proven: a redirect with error, state and iss ---

    @Test
    void authorizeWhenValidThenLoginPageAndPendingRequestStored() {
        Response response = authorize(validRequest());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("Location")).isNull();
        assertThat(response.asString()).contains("name=\"password\"");
    }

    @Test
    void authorizeWhenParameterRepeatedAfterClientProvenThenInvalidRequestRedirect() {
        Response response = new TestBrowser().authorizeRaw("client_id=spa&redirect_uri=https%3A%2F%2Fspa.example.com%2Fcallback"
                + "&response_type=code&scope=openid&scope=email&state=state-123");
        assertErrorRedirect(response, "https://spa.example.com/callback", "invalid_request");
    }

    @Test
    void authorizeWhenParameterOversizedThenInvalidRequestRedirect() {
        assertErrorRedirect(authorize(with(validRequest(), "nonce", "n".repeat(513))), "https://spa.example.com/callback",
                "invalid_request");
    }

    @Test
    void authorizeWhenResponseTypeMissingThenInvalidRequestRedirect() {
        assertErrorRedirect(authorize(with(validRequest(), "response_type", null)), "https://spa.example.com/callback",
                "invalid_request");
    }

    @Test
    void authorizeWhenResponseTypeNotCodeThenUnsupportedResponseTypeRedirect() {
        assertErrorRedirect(authorize(with(validRequest(), "response_type", "token")), "https://spa.example.com/callback",
                "unsupported_response_type");
        assertErrorRedirect(authorize(with(validRequest(), "response_type", "code id_token")), "https://spa.example.com/callback",
                "unsupported_response_type");
    }

    @Test
    void authorizeWhenResponseModeUnsupportedThenInvalidRequestRedirect() {
        assertErrorRedirect(authorize(with(validRequest(), "response_mode", "form_post")), "https://spa.example.com/callback",
                "invalid_request");
    }

    @Test
    void authorizeWhenClientMayNotUseCodesThenUnauthorizedClientRedirect() {
        Map<String, String> machine = with(with(validRequest(), "client_id", "machine"), "redirect_uri", "https://machine.example.com/callback");
        assertErrorRedirect(authorize(machine), "https://machine.example.com/callback", "unauthorized_client");
    }

    @Test
    void authorizeWhenCodeChallengeMissingThenInvalidRequestRedirect() {
        assertErrorRedirect(authorize(with(validRequest(), "code_challenge", null)), "https://spa.example.com/callback",
                "invalid_request");
    }

    @Test
    void authorizeWhenCodeChallengeMethodPlainThenInvalidRequestRedirect() {
        assertErrorRedirect(authorize(with(validRequest(), "code_challenge_method", "plain")), "https://spa.example.com/callback",
                "invalid_request");
    }

    @Test
    void authorizeWhenCodeChallengeMethodMissingThenInvalidRequestRedirect() {
        assertErrorRedirect(authorize(with(validRequest(), "code_challenge_method", null)), "https://spa.example.com/callback",
                "invalid_request");
    }

    @Test
    void authorizeWhenCodeChallengeMalformedThenInvalidRequestRedirect() {
        assertErrorRedirect(authorize(with(validRequest(), "code_challenge", "too-short")), "https://spa.example.com/callback",
                "invalid_request");
        assertErrorRedirect(authorize(with(validRequest(), "code_challenge", "!".repeat(43))), "https://spa.example.com/callback",
                "invalid_request");
    }

    @Test
    void authorizeWhenScopeUnknownThenInvalidScopeRedirect() {
        assertErrorRedirect(authorize(with(validRequest(), "scope", "openid admin")), "https://spa.example.com/callback",
                "invalid_scope");
    }

    @Test
    void authorizeWhenScopeNotAllowedForClientThenInvalidScopeRedirect() {
        Map<String, String> other = with(with(validRequest(), "client_id", "other"), "redirect_uri", "https://other.example.com/callback");
        assertErrorRedirect(authorize(with(other, "scope", "openid orders.read")), "https://other.example.com/callback",
                "invalid_scope");
    }

    @Test
    void authorizeWhenCustomScopeAllowedForClientThenLoginPage() {
        assertThat(authorize(with(validRequest(), "scope", "openid orders.read")).statusCode()).isEqualTo(200);
    }

    @Test
    void authorizeWhenScopeMissingThenInvalidScopeRedirect() {
        assertErrorRedirect(authorize(with(validRequest(), "scope", null)), "https://spa.example.com/callback", "invalid_scope");
    }

    @Test
    void authorizeWhenPromptNoneCombinedThenInvalidRequestRedirect() {
        assertErrorRedirect(authorize(with(validRequest(), "prompt", "none login")), "https://spa.example.com/callback",
                "invalid_request");
    }

    @Test
    void authorizeWhenPromptUnknownThenInvalidRequestRedirect() {
        assertErrorRedirect(authorize(with(validRequest(), "prompt", "select_account")), "https://spa.example.com/callback",
                "invalid_request");
    }

    @Test
    void authorizeWhenMaxAgeNotANumberThenInvalidRequestRedirect() {
        assertErrorRedirect(authorize(with(validRequest(), "max_age", "-1")), "https://spa.example.com/callback", "invalid_request");
    }

    /** OIDC Core §3.1.2.6: a request object is answered request_not_supported, never silently ignored. */
    @Test
    void authorizeWhenRequestObjectSentThenRequestNotSupportedRedirect() {
        assertErrorRedirect(authorize(with(validRequest(), "request", "eyJhbGciOiJub25lIn0.e30.")), "https://spa.example.com/callback",
                "request_not_supported");
    }

    /** OIDC Core §3.1.2.6: a request_uri that is not a pushed request's (RFC 9126) is request_uri_not_supported. */
    @Test
    void authorizeWhenRequestUriIsNotAPushedRequestsThenRequestUriNotSupportedRedirect() {
        assertErrorRedirect(authorize(with(validRequest(), "request_uri", "https://client.example.org/request.jwt")),
                "https://spa.example.com/callback", "request_uri_not_supported");
        assertErrorRedirect(authorize(with(validRequest(), "request_uri", "urn:example:not-par")),
                "https://spa.example.com/callback", "request_uri_not_supported");
    }

    /** With the parameters inside the request object, client and redirect_uri are not proven: a page says why. */
    @Test
    void authorizeWhenOnlyARequestObjectOrForeignRequestUriIsSentThenErrorPageSaysSoAndNoRedirect() {
        assertErrorPage(authorize(Map.of("client_id", "spa", "request", "eyJhbGciOiJub25lIn0.e30.")), "request_not_supported");
        assertErrorPage(authorize(Map.of("client_id", "spa", "request_uri", "https://evil.example.net/request.jwt")),
                "request_uri_not_supported");
        assertErrorPage(authorize(Map.of("request_uri", "https://evil.example.net/request.jwt")), "request_uri_not_supported");
        assertErrorPage(authorize(Map.of("client_id", "no-such-client", "request", "x")), "request_not_supported");
    }

    /** RFC 9449 §10: dpop_jkt is the base64url SHA-256 thumbprint of a key, 43 characters, once. */
    @Test
    void authorizeWhenDpopJktMalformedOrRepeatedThenInvalidRequestRedirect() {
        for (String malformed : new String[] {"too-short", "A".repeat(44), "+".repeat(43), "A".repeat(42) + "="}) {
            assertErrorRedirect(authorize(with(validRequest(), "dpop_jkt", malformed)), "https://spa.example.com/callback",
                    "invalid_request");
        }
        String jkt = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";
        Response repeated = new TestBrowser().authorizeRaw("client_id=spa&redirect_uri=https%3A%2F%2Fspa.example.com%2Fcallback"
                + "&response_type=code&scope=openid&state=state-123&code_challenge=" + TestBrowser.CHALLENGE
                + "&code_challenge_method=S256&dpop_jkt=" + jkt + "&dpop_jkt=" + jkt);
        assertErrorRedirect(repeated, "https://spa.example.com/callback", "invalid_request");
        assertThat(authorize(with(validRequest(), "dpop_jkt", jkt)).statusCode()).as("a well-formed one").isEqualTo(200);
    }

    @Test
    void authorizeWhenPromptNoneWithoutSessionThenLoginRequiredRedirect() {
        assertErrorRedirect(authorize(with(validRequest(), "prompt", "none")), "https://spa.example.com/callback", "login_required");
    }

    @Test
    void authorizeWhenResponseModeFragmentThenErrorInFragment() {
        Response response = authorize(with(with(validRequest(), "response_mode", "fragment"), "code_challenge", null));
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.getHeader("Location")).startsWith("https://spa.example.com/callback#error=invalid_request");
        assertThat(redirectParams(response)).containsEntry("state", "state-123").containsEntry("iss", ISSUER);
    }

    @Test
    void authorizeWhenRegisteredRedirectHasQueryThenQueryKeptInErrorRedirect() {
        Response response = authorize(with(with(validRequest(), "redirect_uri", "https://spa.example.com/cb?tenant=a"),
                "response_type", "token"));
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.getHeader("Location")).startsWith("https://spa.example.com/cb?tenant=a&error=unsupported_response_type");
    }

    @Test
    void authorizeWhenStateHasSpecialCharactersThenEchoedExactly() {
        String state = "a b&c=d/é+ü";
        Response response = authorize(with(with(validRequest(), "state", state), "response_type", "token"));
        assertThat(redirectParams(response)).containsEntry("state", state);
    }

    @Test
    void authorizeByFormPostWhenValidThenLoginPage() {
        TestBrowser browser = new TestBrowser();
        Response response = browser.post("/authorize", validRequest());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.asString()).contains("name=\"password\"");
    }

    @Test
    void authorizeByFormPostWhenChallengeMissingThenInvalidRequestRedirect() {
        Response response = new TestBrowser().post("/authorize", with(validRequest(), "code_challenge", null));
        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(redirectParams(response)).containsEntry("error", "invalid_request").containsEntry("state", "state-123");
    }
}
