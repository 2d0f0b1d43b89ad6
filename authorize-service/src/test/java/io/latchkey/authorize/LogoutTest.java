package io.latchkey.authorize;

import static io.latchkey.authorize.TestBrowser.pageError;
import static io.latchkey.authorize.TestBrowser.validRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.authorize.browser.BrowserCookies;
import io.latchkey.model.store.RedisKeys;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OIDC RP-Initiated Logout 1.0 at /logout. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class LogoutTest {

    private static final String LOGGED_OUT = "https://spa.example.com/logged-out";

    private TestBrowser browser;

    @BeforeEach
    void signIn() {
        LoginConsentFlowTest.forgetAllConsents();
        browser = new TestBrowser();
        Response consent = browser.login(browser.authorize(validRequest()), "alice", "alice-password");
        browser.consent(consent, "approve");
        assertThat(sessionExists()).isTrue();
    }

    private boolean sessionExists() {
        return "1".equals(TestRedis.get().command("EXISTS",
                RedisKeys.session(OpaqueToken.sha256(browser.cookies.get(BrowserCookies.SESSION)))));
    }

    private String sessionKey() {
        return RedisKeys.session(OpaqueToken.sha256(browser.cookies.get(BrowserCookies.SESSION)));
    }

    /** An ID token as token-service signs it, expired an hour ago, for alice without a {@code sid}. */
    private String idToken(PublicJsonWebKey key, String issuer, String audience) throws Exception {
        return token(key, issuer, audience, "alice-sub", null, "JWT");
    }

    private String token(PublicJsonWebKey key, String issuer, String audience, String subject, String sid, String typ)
            throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(audience);
        claims.setSubject(subject);
        if (sid != null) {
            claims.setClaim("sid", sid);
        }
        claims.setIssuedAt(NumericDate.fromSeconds(NumericDate.now().getValue() - 7200));
        claims.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() - 3600));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(key.getAlgorithm());
        jws.setHeader("typ", typ);
        return jws.getCompactSerialization();
    }

    /** The {@code sid} that token-service puts in this browser's ID tokens: the session's id in Redis. */
    private String currentSid() {
        return OpaqueToken.sha256(browser.cookies.get(BrowserCookies.SESSION));
    }

    private void assertAskedAndSessionKept(Response response, String key) {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("Location")).isNull();
        assertThat(response.getHeader("Set-Cookie")).isNull();
        assertThat(response.asString()).contains("action=\"/logout\"").contains("name=\"confirm\" value=\"yes\"");
        assertThat(TestRedis.get().command("EXISTS", key)).isEqualTo("1");
    }

    private PublicJsonWebKey signingKey(String alg) {
        return PublishedTestKeys.signing(alg);
    }

    private Response logout(Map<String, String> params) {
        Response response = browser.request().queryParams(params).get("/logout");
        browser.keepCookies(response);
        return response;
    }

    @Test
    void logoutWhenNoHintThenConfirmationPageAndSessionKept() {
        String key = sessionKey();
        Response response = logout(Map.of());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("Location")).isNull();
        assertThat(response.asString()).contains("action=\"/logout\"").contains("name=\"confirm\" value=\"yes\"");
        assertThat(TestRedis.get().command("EXISTS", key)).isEqualTo("1");
    }

    @Test
    void logoutWhenConfirmedByPostThenSessionEndedCookieExpiredAndSignedOutPage() {
        String key = sessionKey();
        Response response = browser.post("/logout", Map.of("confirm", "yes"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.asString()).contains("id=\"signed-out\"");
        assertThat(response.getHeader("Set-Cookie")).startsWith(BrowserCookies.SESSION + "=;").contains("Max-Age=0");
        assertThat(TestRedis.get().command("EXISTS", key)).isEqualTo("0");
    }

    @Test
    void logoutWhenGetCarriesConfirmThenStillAsks() {
        String key = sessionKey();
        Response response = logout(Map.of("confirm", "yes"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.asString()).contains("name=\"confirm\" value=\"yes\"");
        assertThat(TestRedis.get().command("EXISTS", key)).isEqualTo("1");
    }

    @Test
    void logoutWhenRegisteredPostLogoutRedirectWithClientIdThenRedirectWithStateAfterConfirmation() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("client_id", "spa");
        params.put("post_logout_redirect_uri", LOGGED_OUT);
        params.put("state", "bye 1");
        Response ask = logout(params);
        assertThat(ask.statusCode()).isEqualTo(200);
        Map<String, String> form = TestBrowser.hidden(ask.asString());
        assertThat(form).containsEntry("post_logout_redirect_uri", LOGGED_OUT).containsEntry("confirm", "yes");
        String key = sessionKey();
        Response done = browser.post("/logout", form);
        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(done.getHeader("Location")).isEqualTo(LOGGED_OUT + "?state=bye%201");
        assertThat(TestRedis.get().command("EXISTS", key)).isEqualTo("0");
    }

    @Test
    void logoutWhenPostLogoutRedirectUriNotRegisteredThenErrorPageAndNoRedirect() {
        Response response = logout(Map.of("client_id", "spa", "post_logout_redirect_uri", "https://evil.example.net/"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.getHeader("Location")).isNull();
        assertThat(pageError(response)).isEqualTo("invalid_request");
        assertThat(sessionExists()).isTrue();
    }

    @Test
    void logoutWhenPostLogoutRedirectWithoutClientThenErrorPage() {
        Response response = logout(Map.of("post_logout_redirect_uri", LOGGED_OUT));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.getHeader("Location")).isNull();
        assertThat(pageError(response)).isEqualTo("invalid_request");
    }

    @Test
    void logoutWhenExpiredIdTokenHintIsValidThenSignedOutAtOnceAndRedirected() throws Exception {
        for (String alg : new String[] {"RS256", "ES256", "EdDSA"}) {
            signIn();
            String key = sessionKey();
            String hint = idToken(signingKey(alg), AuthorizeValidationTest.ISSUER, "spa");
            Response response = logout(Map.of("id_token_hint", hint, "post_logout_redirect_uri", LOGGED_OUT, "state", "s1"));
            assertThat(response.statusCode()).as(alg).isEqualTo(302);
            assertThat(response.getHeader("Location")).isEqualTo(LOGGED_OUT + "?state=s1");
            assertThat(TestRedis.get().command("EXISTS", key)).as(alg).isEqualTo("0");
        }
    }

    @Test
    void logoutWhenIdTokenHintSignedByUnknownKeyThenErrorPageAndSessionKept() throws Exception {
        PublicJsonWebKey stranger = RsaJwkGenerator.generateJwk(2048);
        stranger.setKeyId(signingKey("RS256").getKeyId());
        stranger.setAlgorithm("RS256");
        Response response = logout(Map.of("id_token_hint", idToken(stranger, AuthorizeValidationTest.ISSUER, "spa")));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.getHeader("Location")).isNull();
        assertThat(pageError(response)).isEqualTo("invalid_request");
        assertThat(sessionExists()).isTrue();
    }

    @Test
    void logoutWhenIdTokenHintFromAnotherIssuerThenErrorPage() throws Exception {
        Response response = logout(Map.of("id_token_hint", idToken(signingKey("RS256"), "https://other-issuer.example", "spa")));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(pageError(response)).isEqualTo("invalid_request");
        assertThat(sessionExists()).isTrue();
    }

    @Test
    void logoutWhenIdTokenHintIsGarbageThenErrorPage() {
        Response response = logout(Map.of("id_token_hint", "not.a.token"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(pageError(response)).isEqualTo("invalid_request");
    }

    @Test
    void logoutWhenClientIdDoesNotMatchHintAudienceThenErrorPage() throws Exception {
        String hint = idToken(signingKey("RS256"), AuthorizeValidationTest.ISSUER, "spa");
        Response response = logout(Map.of("id_token_hint", hint, "client_id", "other"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(pageError(response)).isEqualTo("invalid_request");
        assertThat(sessionExists()).isTrue();
    }

    @Test
    void logoutWhenHintIsForThisSessionThenSignedOutAtOnce() throws Exception {
        String key = sessionKey();
        String hint = token(signingKey("RS256"), AuthorizeValidationTest.ISSUER, "spa", "alice-sub", currentSid(), "JWT");
        Response response = logout(Map.of("id_token_hint", hint, "post_logout_redirect_uri", LOGGED_OUT));
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.getHeader("Location")).isEqualTo(LOGGED_OUT);
        assertThat(response.getHeader("Set-Cookie")).startsWith(BrowserCookies.SESSION + "=;").contains("Max-Age=0");
        assertThat(TestRedis.get().command("EXISTS", key)).isEqualTo("0");
    }

    @Test
    void logoutWhenHintOfAnotherUserThenConfirmationPageAndSessionKept() throws Exception {
        String key = sessionKey();
        String hint = token(signingKey("RS256"), AuthorizeValidationTest.ISSUER, "spa", "bob-sub", null, "JWT");
        assertAskedAndSessionKept(logout(Map.of("id_token_hint", hint, "post_logout_redirect_uri", LOGGED_OUT)), key);
    }

    @Test
    void logoutWhenHintOfAnotherSessionOfSameUserThenConfirmationPageAndSessionKept() throws Exception {
        String key = sessionKey();
        TestBrowser elsewhere = new TestBrowser();
        elsewhere.consent(elsewhere.login(elsewhere.authorize(validRequest()), "alice", "alice-password"), "approve");
        String otherSid = OpaqueToken.sha256(elsewhere.cookies.get(BrowserCookies.SESSION));
        String hint = token(signingKey("ES256"), AuthorizeValidationTest.ISSUER, "spa", "alice-sub", otherSid, "JWT");
        assertAskedAndSessionKept(logout(Map.of("id_token_hint", hint)), key);
        assertThat(TestRedis.get().command("EXISTS", RedisKeys.session(otherSid))).isEqualTo("1");
    }

    @Test
    void logoutWhenAccessTokenAsHintThenConfirmationPageAndSessionKept() throws Exception {
        String key = sessionKey();
        // Same keys, same issuer, even this session's sid: an RFC 9068 access token is still not an ID token.
        String accessToken = token(signingKey("RS256"), AuthorizeValidationTest.ISSUER, "spa", "alice-sub", currentSid(), "at+jwt");
        assertAskedAndSessionKept(logout(Map.of("id_token_hint", accessToken)), key);
    }

    @Test
    void logoutWhenMatchingHintArrivesWithoutSessionCookieThenConfirmationPageAndSessionKept() throws Exception {
        String key = sessionKey();
        String hint = token(signingKey("RS256"), AuthorizeValidationTest.ISSUER, "spa", "alice-sub", currentSid(), "JWT");
        Response response = new TestBrowser().request().queryParam("id_token_hint", hint).get("/logout");
        assertAskedAndSessionKept(response, key);
    }

    @Test
    void logoutWhenConfirmationPostCarriesForeignHintThenSessionEnded() throws Exception {
        String key = sessionKey();
        String hint = token(signingKey("RS256"), AuthorizeValidationTest.ISSUER, "spa", "bob-sub", null, "JWT");
        Response ask = logout(Map.of("id_token_hint", hint));
        Response done = browser.post("/logout", TestBrowser.hidden(ask.asString()));
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.asString()).contains("id=\"signed-out\"");
        assertThat(TestRedis.get().command("EXISTS", key)).isEqualTo("0");
    }
}
