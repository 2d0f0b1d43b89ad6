package io.latchkey.authorize;

import static io.latchkey.authorize.TestBrowser.pageError;
import static io.latchkey.authorize.TestBrowser.validRequest;
import static io.latchkey.authorize.TestBrowser.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The pages' headers, languages and accessibility basics, and the discovery document. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class PagesAndDiscoveryTest {

    private static void assertPageHeaders(Response response) {
        assertThat(response.getHeader("Content-Security-Policy")).contains("frame-ancestors 'none'").contains("default-src 'none'");
        assertThat(response.getHeader("X-Frame-Options")).isEqualTo("DENY");
        assertThat(response.getHeader("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
        assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void loginPageWhenRenderedThenSecurityHeadersLabelledInputsAndOnlyThePasskeyScriptFromSelf() {
        Response response = new TestBrowser().authorize(validRequest());
        assertThat(response.statusCode()).isEqualTo(200);
        assertPageHeaders(response);
        // No form-action: browsers apply it to the redirect back to the client after the form (see SecurityHeaders).
        assertThat(response.getHeader("Content-Security-Policy")).contains("script-src 'self'").doesNotContain("unsafe")
                .doesNotContain("form-action");
        String html = response.asString();
        assertThat(html).contains("<label for=\"username\">").contains("<label for=\"password\">")
                .contains("name=\"viewport\"").contains("autocomplete=\"username webauthn\"");
        // One script, loaded from this origin; the options are a JSON data block, which a browser never executes.
        assertThat(Pattern.compile("<script").matcher(html).results().count()).isEqualTo(2);
        assertThat(html).contains("<script src=\"/latchkey/passkeys.js\" defer></script>")
                .contains("<script type=\"application/json\" id=\"passkey-options\">");
    }

    @Test
    void consentAndErrorPagesWhenRenderedThenNoScriptAllowed() {
        Response error = new TestBrowser().authorize(with(validRequest(), "client_id", "nope"));
        assertThat(error.getHeader("Content-Security-Policy")).doesNotContain("script-src");
        assertThat(error.asString()).doesNotContain("<script");
    }

    @Test
    void errorPageAndRedirectWhenAnsweredThenSecurityHeaders() {
        assertPageHeaders(new TestBrowser().authorize(with(validRequest(), "client_id", "nope")));
        assertPageHeaders(new TestBrowser().authorize(with(validRequest(), "response_type", "token")));
    }

    @Test
    void loginPageWhenUiLocalesGermanThenGerman() {
        Response response = new TestBrowser().authorize(with(validRequest(), "ui_locales", "fr-CA de"));
        assertThat(response.asString()).contains("<html lang=\"de\">").contains("Benutzername").contains("Passwort");
    }

    @Test
    void loginPageWhenAcceptLanguageGermanThenGerman() {
        Response response = new TestBrowser().request().header("Accept-Language", "de-DE,de;q=0.9,en;q=0.5")
                .queryParams(validRequest()).get("/authorize");
        assertThat(response.asString()).contains("<html lang=\"de\">").contains("Anmelden");
    }

    @Test
    void loginPageWhenUiLocalesWinOverAcceptLanguageThenEnglish() {
        Response response = new TestBrowser().request().header("Accept-Language", "de")
                .queryParams(with(validRequest(), "ui_locales", "en")).get("/authorize");
        assertThat(response.asString()).contains("<html lang=\"en\">").contains("Username");
    }

    @Test
    void loginPageWhenNoLanguageKnownThenEnglish() {
        Response response = new TestBrowser().request().header("Accept-Language", "ja;q=1, ###")
                .queryParams(validRequest()).get("/authorize");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.asString()).contains("<html lang=\"en\">");
    }

    @Test
    void loginPageWhenLoginHintHasMarkupThenEscaped() {
        Response response = new TestBrowser().authorize(with(validRequest(), "login_hint", "\"><script>alert(1)</script>"));
        assertThat(response.asString()).doesNotContain("<script>").contains("&lt;script&gt;");
    }

    @Test
    void stylesheetWhenRequestedThenServedFromLoginUi() {
        Response css = new TestBrowser().request().get("/latchkey/latchkey.css");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.contentType()).startsWith("text/css");
        assertThat(css.asString()).contains("--lk-accent");
    }

    /** The test resources override one template and theme.css, as a deployment's theme does (docs/authorize-leg.md). */
    @Test
    void themeWhenApplicationProvidesTemplateAndCssThenTheyReplaceLoginUi() {
        Response css = new TestBrowser().request().get("/latchkey/theme.css");
        assertThat(css.asString()).contains("--lk-accent: #0b7a3e");
        Response page = new TestBrowser().post("/logout", java.util.Map.of("confirm", "yes"));
        assertThat(page.asString()).contains("data-theme=\"test-theme\"").contains("You have been signed out.");
        Response untouched = new TestBrowser().authorize(validRequest());
        assertThat(untouched.asString()).contains("name=\"password\"");
    }

    @Test
    void unknownPathOrWrongMethodThenErrorPageWithoutStackTrace() {
        Response notFound = new TestBrowser().request().get("/no-such-page");
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.asString()).doesNotContain("Exception");
        Response wrongMethod = new TestBrowser().request().get("/login");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(pageError(wrongMethod)).isEqualTo("invalid_request");
    }

    @Test
    void loginWhenFormEmptyThenErrorPageNotServerError() {
        Response response = new TestBrowser().post("/login", java.util.Map.of());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(pageError(response)).isEqualTo("invalid_request");
    }

    /** Found by EndpointFuzzTest: the framework's form decoder answered these with a 500. */
    @Test
    void loginAndConsentWhenFormMalformedOrHasThousandsOfFieldsThenInvalidRequestPageNotServerError() {
        String manyFields = java.util.stream.IntStream.range(0, 1500).mapToObj(i -> "p" + i + "=v")
                .collect(java.util.stream.Collectors.joining("&"));
        for (String path : java.util.List.of("/login", "/consent")) {
            for (String body : java.util.List.of("request_id=%&x=1", "csrf_token=%zz", "request_id=%C3%28", manyFields)) {
                Response response = new TestBrowser().request().contentType("application/x-www-form-urlencoded; charset=UTF-8")
                        .body(body).post(path);
                assertThat(response.statusCode()).as("%s %s", path, body.substring(0, Math.min(20, body.length()))).isEqualTo(400);
                assertThat(pageError(response)).isEqualTo("invalid_request");
            }
        }
    }

    @Test
    void discoveryPreflightWithTraceContextHeadersThenAllowedForGetFromAnyOrigin() {
        Response response = new TestBrowser().request().header("Origin", "https://app.example")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "traceparent, tracestate")
                .options("/.well-known/openid-configuration");
        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.getHeader("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(response.getHeader("Access-Control-Allow-Methods")).isEqualTo("GET");
        assertThat(response.getHeader("Access-Control-Allow-Headers")).isEqualTo("traceparent, tracestate");
        assertThat(response.getHeader("Access-Control-Allow-Credentials")).isNull();
    }

    @Test
    void discoveryWhenRequestedThenIssuerEndpointsAndCapabilitiesFromConfiguration() {
        Response response = new TestBrowser().request().get("/.well-known/openid-configuration");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.getHeader("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(response.getHeader("Cache-Control")).contains("max-age");
        JsonPath json = response.jsonPath();
        assertThat(json.getString("issuer")).isEqualTo(AuthorizeValidationTest.ISSUER);
        assertThat(json.getString("authorization_endpoint")).isEqualTo(AuthorizeValidationTest.ISSUER + "/authorize");
        assertThat(json.getString("end_session_endpoint")).isEqualTo(AuthorizeValidationTest.ISSUER + "/logout");
        assertThat(json.getString("token_endpoint")).isEqualTo("http://localhost:8081/token");
        assertThat(json.getString("jwks_uri")).isEqualTo("http://localhost:8081/jwks");
        assertThat(json.getString("userinfo_endpoint")).isEqualTo("http://localhost:8081/userinfo");
        assertThat(json.getString("revocation_endpoint")).isEqualTo("http://localhost:8081/revoke");
        assertThat(json.getString("introspection_endpoint")).isEqualTo("http://localhost:8081/introspect");
        assertThat(json.getList("response_types_supported")).containsExactly("code");
        assertThat(json.getList("code_challenge_methods_supported")).containsExactly("S256");
        assertThat(json.getList("dpop_signing_alg_values_supported")).contains("ES256", "RS256", "EdDSA").doesNotContain("none", "HS256");
        assertThat(json.getBoolean("authorization_response_iss_parameter_supported")).isTrue();
        assertThat(json.getList("subject_types_supported")).containsExactly("public");
        assertThat(json.getList("id_token_signing_alg_values_supported")).containsExactly("RS256", "ES256", "EdDSA");
        assertThat(json.getList("token_endpoint_auth_methods_supported")).containsExactly("none", "client_secret_basic", "client_secret_post");
        assertThat(json.getList("scopes_supported")).contains("openid", "profile", "email", "offline_access");
        assertThat(json.getList("prompt_values_supported")).containsExactly("none", "login", "consent");
        assertThat(json.getList("ui_locales_supported")).containsExactly("en", "de");
        assertThat(json.getBoolean("request_parameter_supported")).isFalse();
        // OIDC Discovery §3 defaults it to true, so it is published false: only PAR's request_uri is taken.
        assertThat(json.getBoolean("request_uri_parameter_supported")).isFalse();
        assertThat(json.getString("pushed_authorization_request_endpoint")).isEqualTo(AuthorizeValidationTest.ISSUER + "/par");
        assertThat(json.getBoolean("require_pushed_authorization_requests")).as("latchkey.par.required").isFalse();
        assertThat(json.getBoolean("claims_parameter_supported")).isFalse();
        assertThat(json.getList("claims_supported")).contains("sub", "iss", "auth_time", "nonce", "sid");
        assertThat(json.getMap("$")).as("admin-service is internal unless an operator publishes /register")
                .doesNotContainKey("registration_endpoint");
    }
}
