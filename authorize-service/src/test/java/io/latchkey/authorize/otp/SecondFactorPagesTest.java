package io.latchkey.authorize.otp;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.authorize.pages.Pages;
import io.latchkey.authorize.pages.SecondFactorPages;
import io.latchkey.model.domain.AuthorizationRequest;
import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.domain.ClientType;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The second-factor pages as rendered: fields, ids, escaping, words from the bundle in English and German. */
@QuarkusTest
@TestProfile(SecondFactorsTest.LongWaits.class)
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class SecondFactorPagesTest {

    @Inject
    SecondFactorPages pages;

    private static final AuthorizationRequest REQUEST = new AuthorizationRequest("req-1", "spa", "https://app.example/cb", null,
            List.of("openid"), null, null, "challenge", null, null, null, null, null, "csrf-1", 0, null, null, null, null);
    private static final ClientRegistration CLIENT = new ClientRegistration("spa", "Shop <&>", ClientType.PUBLIC, null,
            List.of("https://app.example/cb"), null, List.of(), Set.of("openid"), null, false, null, null, null, null, false);

    private static String body(Response.ResponseBuilder response) {
        return (String) response.build().getEntity();
    }

    @Test
    void secondFactorPageHasTheCodeFieldTheHiddenPasskeyButtonAndEscapesTheClientName() {
        Response response = pages.secondFactor(REQUEST, CLIENT, Locale.ENGLISH, Pages.LoginProblem.NONE, Duration.ZERO, true, "{}").build();
        String html = (String) response.getEntity();
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(html).contains("action=\"/login/second-factor\"", "name=\"request_id\" value=\"req-1\"",
                "name=\"csrf_token\" value=\"csrf-1\"", "<label for=\"code\">", "id=\"code\" name=\"code\"",
                "inputmode=\"numeric\"", "autocomplete=\"one-time-code\"", "maxlength=\"24\"", "autofocus", "id=\"verify\"",
                "recovery codes", "Shop &lt;&amp;&gt;");
        assertThat(html).containsPattern("<button[^>]*id=\"use-passkey\"[^>]*hidden");
        assertThat(html).doesNotContain("id=\"problem\"", " style=");
        assertThat(body(pages.secondFactor(REQUEST, CLIENT, Locale.ENGLISH, Pages.LoginProblem.NONE, Duration.ZERO, true, null)))
                .doesNotContain("use-passkey");
    }

    @Test
    void secondFactorPageWhenWrongOrThrottledThenAlertAndStatus() {
        Response invalid = pages.secondFactor(REQUEST, CLIENT, Locale.GERMAN, Pages.LoginProblem.INVALID, Duration.ZERO, true, null).build();
        assertThat(invalid.getStatus()).isEqualTo(401);
        assertThat((String) invalid.getEntity()).contains("role=\"alert\"", "data-problem=\"invalid\"",
                "Der Code ist falsch oder wurde schon verwendet.", "lang=\"de\"");
        Response throttled = pages.secondFactor(REQUEST, CLIENT, Locale.ENGLISH, Pages.LoginProblem.THROTTLED, Duration.ofMillis(2500), true, null).build();
        assertThat(throttled.getStatus()).isEqualTo(429);
        assertThat(throttled.getHeaderString("Retry-After")).isEqualTo("3");
        assertThat((String) throttled.getEntity()).contains("data-problem=\"throttled\"", "Try again in 3 s.");
    }

    @Test
    void totpEnrolPageShowsTheQrUnescapedTheGroupedKeyAndEchoesHiddenFieldsEscaped() {
        byte[] secret = "Hello!\u00de\u00ad\u00be\u00ef".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Map<String, String> hidden = new LinkedHashMap<>();
        hidden.put("request_id", "req-1");
        hidden.put("csrf_token", "\"><script>");
        Response response = pages.totpEnrol("/login/totp", hidden, "alice@example.com", secret, Locale.ENGLISH, true, false).build();
        String html = (String) response.getEntity();
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(html).contains("<svg xmlns=\"http://www.w3.org/2000/svg\"", "aria-label=\"QR code for your authenticator app\"",
                "JBSW Y3DP EHPK 3PXP", "alice@example.com", "action=\"/login/totp\"", "name=\"request_id\" value=\"req-1\"",
                "name=\"csrf_token\" value=\"&quot;&gt;&lt;script&gt;\"", "id=\"code\"", "id=\"confirm\"", "id=\"required\"",
                "requires a second factor");
        assertThat(html).doesNotContain("&lt;svg", "<script>", "role=\"alert\"", " style=", "cancel");

        Response wrong = pages.totpEnrol("/login/totp", Map.of(), "alice", secret, Locale.GERMAN, false, true).build();
        assertThat(wrong.getStatus()).isEqualTo(400);
        assertThat((String) wrong.getEntity()).contains("role=\"alert\"", "Der Code passt nicht", "QR-Code für Ihre Authentifizierungs-App")
                .doesNotContain("id=\"required\"");
    }

    @Test
    void recoveryCodesPageListsEachCodeOnceWithTheNoticeAndContinue() {
        List<String> codes = RecoveryCodes.generate();
        String html = body(pages.recoveryCodes(codes, "/login/continue", Map.of("request_id", "req-1"), Locale.ENGLISH));
        assertThat(html).contains("id=\"recovery-codes\"", "shown only now", "id=\"continue\"", "action=\"/login/continue\"",
                "name=\"request_id\" value=\"req-1\"");
        codes.forEach(code -> assertThat(html).containsOnlyOnce("<code>" + code + "</code>"));
        assertThat(body(pages.recoveryCodes(codes, "/x", Map.of(), Locale.GERMAN))).contains("nur jetzt angezeigt");
    }
}
