package io.latchkey.authorize.passkeys;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.authorize.pages.PasskeyPages;
import io.latchkey.model.directory.PasskeyDirectory.Passkey;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The passkey pages and the passkey parts of the login page, as rendered. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class PasskeyPagesTest {

    @Inject
    PasskeyPages pages;

    @Inject
    PasskeyCeremonies ceremonies;

    @Inject
    @Location("latchkey/login.html")
    Template login;

    private static String body(jakarta.ws.rs.core.Response.ResponseBuilder response) {
        return (String) response.build().getEntity();
    }

    @Test
    void jsonWhenAValueCouldCloseTheScriptElementThenEscaped() {
        String json = PasskeyPages.json(ceremonies.registrationOptions("aA", "</script><script>alert(1)</script>", "a & b", List.of(), "Yw"));

        assertThat(json).doesNotContain("<").doesNotContain(">").doesNotContain("&")
                .contains("\"name\":\"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\"")
                .contains("\"displayName\":\"a \\u0026 b\"");
    }

    @Test
    void offerRendersCreateFormNotNowFormAndOptionsInGerman() {
        Map<String, String> hidden = new LinkedHashMap<>();
        hidden.put("request_id", "req-1");
        hidden.put("csrf_token", "csrf-1");
        String html = body(pages.offer("/login/passkey-registration", hidden,
                ceremonies.authenticationOptions("Y2hhbGxlbmdl", List.of()), null, false, Locale.GERMAN));

        assertThat(html).contains("<html lang=\"de\">").contains("Melden Sie sich nächstes Mal schneller mit einem Passkey an")
                .contains("<form method=\"post\" action=\"/login/passkey-registration\" id=\"passkey-create-form\"")
                .contains("<form method=\"post\" action=\"/login/continue\" class=\"actions\">")
                .contains("<input type=\"hidden\" name=\"csrf_token\" value=\"csrf-1\">")
                .contains("name=\"decision\" value=\"later\" id=\"not-now\"")
                .contains("<script type=\"application/json\" id=\"passkey-options\">{\"challenge\":\"Y2hhbGxlbmdl\",")
                .contains("<script src=\"/latchkey/passkeys.js\" defer></script>")
                .doesNotContain("id=\"problem\"");
    }

    @Test
    void offerWhenThePasskeyIsARequiredSecondFactorThenNoNotNow() {
        String html = body(pages.offer("/login/passkey-registration", Map.of("request_id", "req-1", "csrf_token", "csrf-1"),
                ceremonies.authenticationOptions("Y2hhbGxlbmdl", List.of()), null, true, Locale.ENGLISH));

        assertThat(html).contains("id=\"required\"").contains("requires a second factor")
                .contains("id=\"passkey-create-form\"")
                .doesNotContain("id=\"not-now\"").doesNotContain("/login/continue");
    }

    @Test
    void securityListsPasskeysWithCsrfFormsAndTotpSection() {
        Passkey used = new Passkey(7, "alice-sub", "cred", "Laptop <1>", "key", 3, false, false, true, List.of(), null,
                Instant.parse("2025-01-02T10:00:00Z"), Instant.parse("2025-02-03T11:30:00Z"));
        Passkey fresh = new Passkey(8, "alice-sub", "cred2", null, "key", 0, true, true, true, List.of(), null,
                Instant.parse("2025-03-04T12:00:00Z"), null);
        String html = body(pages.security("csrf-9", List.of(used, fresh), ceremonies.authenticationOptions("Yw", List.of()), true, true,
                4, null, null, Locale.ENGLISH));

        assertThat(html).contains("<strong>Laptop &lt;1&gt;</strong>").contains("Created Jan 2, 2025").contains("Last used Feb 3, 2025")
                .contains("<strong>Passkey</strong>").contains("Not used yet")
                .contains("action=\"/account/passkeys/rename\"").contains("action=\"/account/passkeys/remove\"")
                .contains("<input type=\"hidden\" name=\"id\" value=\"8\">")
                .contains("action=\"/account/passkeys\" id=\"passkey-create-form\"")
                .contains("Recovery codes left: 4").contains("action=\"/account/totp/recovery-codes\"").contains("action=\"/account/totp/remove\"")
                .doesNotContain("action=\"/account/totp\" ");
        assertThat(html.split("name=\"csrf_token\" value=\"csrf-9\"", -1)).hasSize(1 + 2 + 2 + 1 + 2);
    }

    @Test
    void securityWithoutPasskeysOrTotpOffersSetUp() {
        String html = body(pages.security("c", List.of(), null, true, false, 0, null, null, Locale.ENGLISH));

        assertThat(html).contains("You have no passkeys yet.").contains("action=\"/account/totp\"").contains("value=\"begin\"")
                .doesNotContain("passkeys.js").doesNotContain("Recovery codes left");
    }

    @Test
    void loginWithoutPasskeysFlagRendersNoPasskeyParts() {
        String html = login.data("clientName", "App").data("requestId", "r").data("csrfToken", "c").data("username", null)
                .data("problem", null).data("retryAfter", 1).data("lang", "en").render();

        assertThat(html).contains("autocomplete=\"username\"").doesNotContain("passkey").doesNotContain("<script");
    }

    @Test
    void loginWithPasskeysRendersFormButtonOptionsAndScript() {
        String html = login.data("clientName", "App").data("requestId", "r-1").data("csrfToken", "c-1").data("username", null)
                .data("problem", "passkey").data("retryAfter", 1).data("lang", "en").data("passkeys", true)
                .data("passkeyOptions", PasskeyPages.json(ceremonies.authenticationOptions("Yw", List.of()))).render();

        assertThat(html).contains("autocomplete=\"username webauthn\"")
                .contains("<button type=\"button\" id=\"passkey-sign-in\" class=\"secondary\" hidden>Sign in with a passkey</button>")
                .contains("<form method=\"post\" action=\"/login/passkey\" id=\"passkey-form\" hidden>")
                .contains("<input type=\"hidden\" name=\"request_id\" value=\"r-1\">")
                .contains("name=\"user_handle\"").contains("data-message-cancelled=\"The passkey request was cancelled or timed out.\"")
                .contains("{\"challenge\":\"Yw\",\"timeout\":300000,\"rpId\":\"localhost\",\"allowCredentials\":[],\"userVerification\":\"preferred\"}")
                .contains("<script src=\"/latchkey/passkeys.js\" defer></script>")
                .contains("The passkey could not be used to sign in.");
    }
}
