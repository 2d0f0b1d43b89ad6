package io.latchkey.authorize.pages;

import io.latchkey.authorize.SecurityHeaders;
import io.latchkey.authorize.otp.Base32;
import io.latchkey.authorize.otp.QrCodes;
import io.latchkey.authorize.otp.Totp;
import io.latchkey.authorize.otp.TotpConfig;
import io.latchkey.model.domain.AuthorizationRequest;
import io.latchkey.model.domain.ClientRegistration;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders the second-factor pages of login-ui: the code prompt after the password, the TOTP enrolment with its QR
 * code, and the recovery codes shown once. Locale and rendering as {@link Pages}.
 */
@ApplicationScoped
public class SecondFactorPages {

    private final Template secondFactor;
    private final Template totpEnrol;
    private final Template recoveryCodes;
    private final TotpConfig config;

    public SecondFactorPages(@Location("latchkey/second-factor.html") Template secondFactor,
            @Location("latchkey/totp-enrol.html") Template totpEnrol,
            @Location("latchkey/recovery-codes.html") Template recoveryCodes, TotpConfig config) {
        this.secondFactor = secondFactor;
        this.totpEnrol = totpEnrol;
        this.recoveryCodes = recoveryCodes;
        this.config = config;
    }

    /**
     * The code prompt; 401 after a wrong code, 429 with Retry-After when throttled (as the login page).
     *
     * @param totp           whether the user has an authenticator app (the code form)
     * @param passkeyOptions the assertion options for the user's passkeys as JSON, or null; the button stays hidden
     *                       until the passkey script finds WebAuthn in the browser
     */
    public Response.ResponseBuilder secondFactor(AuthorizationRequest request, ClientRegistration client, Locale locale,
            Pages.LoginProblem problem, Duration wait, boolean totp, String passkeyOptions) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        TemplateInstance page = secondFactor.data("clientName", client.name())
                .data("requestId", request.id())
                .data("csrfToken", request.csrfToken())
                .data("problem", problem == Pages.LoginProblem.NONE ? null : problem.name().toLowerCase(Locale.ROOT))
                .data("retryAfter", seconds)
                .data("totp", totp)
                .data("passkeyOptions", passkeyOptions);
        int status = switch (problem) {
            case NONE -> 200;
            case INVALID -> 401;
            case THROTTLED -> 429;
            case PASSKEY -> 401;
        };
        Response.ResponseBuilder response = Pages.html(page, locale, status);
        if (passkeyOptions != null) {
            SecurityHeaders.allowPasskeyScript(response);
        }
        return problem == Pages.LoginProblem.THROTTLED ? response.header("Retry-After", seconds) : response;
    }

    /**
     * The enrolment page for {@code secret}: its otpauth URI as a QR code (issuer {@code latchkey.totp.issuer-label}),
     * and the key in Base32 groups for typing by hand. 400 when {@code invalid} (the confirming code did not match).
     *
     * @param action       where the form posts the code
     * @param hiddenFields echoed as hidden inputs (request id, CSRF token, ...)
     * @param required     whether the client requires a second factor, so there is no way around this page
     */
    public Response.ResponseBuilder totpEnrol(String action, Map<String, String> hiddenFields, String accountName,
            byte[] secret, Locale locale, boolean required, boolean invalid) {
        String uri = Totp.otpauthUri(config.issuerLabel(), accountName, secret);
        TemplateInstance page = totpEnrol.data("action", action)
                .data("hiddenFields", hiddenFields.entrySet())
                .data("qrSvg", QrCodes.svg(uri, Pages.messages(locale).totp_enrol_qr_label()))
                .data("secretText", Base32.grouped(secret))
                .data("accountName", accountName)
                .data("problem", invalid ? "invalid" : null)
                .data("required", required);
        return Pages.html(page, locale, invalid ? 400 : 200);
    }

    /**
     * The new recovery codes, shown once (the page is never cached: see {@code SecurityHeaders}). Continuing posts
     * {@code hiddenFields} to {@code action}, or, with none, follows it as a link.
     */
    public Response.ResponseBuilder recoveryCodes(List<String> codes, String action, Map<String, String> hiddenFields,
            Locale locale) {
        TemplateInstance page = recoveryCodes.data("codes", codes)
                .data("action", action)
                .data("post", !hiddenFields.isEmpty())
                .data("hiddenFields", hiddenFields.entrySet());
        return Pages.html(page, locale, 200);
    }
}
