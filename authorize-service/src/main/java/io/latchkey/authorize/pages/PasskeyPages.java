package io.latchkey.authorize.pages;

import io.latchkey.authorize.SecurityHeaders;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.model.directory.PasskeyDirectory.Passkey;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The passkey pages of login-ui: the offer after a password sign-in and the account security page. Ceremony options
 * go into the page as a JSON data block ({@link #json}) that passkeys.js reads, so the pages need no inline script
 * and no fetch.
 */
@ApplicationScoped
public class PasskeyPages {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One passkey as the security page lists it; times already formatted in the page's language, in UTC. */
    @TemplateData
    public record PasskeyView(long id, String name, String created, String lastUsed) {
    }

    private final Template offer;
    private final Template security;

    public PasskeyPages(@Location("latchkey/passkey-offer.html") Template offer, @Location("latchkey/security.html") Template security) {
        this.offer = offer;
        this.security = security;
    }

    /**
     * "Sign in faster next time with a passkey", after a password sign-in. Both forms post to {@code action} with
     * {@code hiddenFields}; the create form adds {@code decision=create}, {@code name} and the registration response
     * fields; the plain "Not now" button posts {@code decision=later} to {@code /login/continue}, and is left out when the
     * passkey is {@code required} (a second factor the client asks for and the user has none of). A problem (any non-null
     * word) shows that creating failed.
     */
    public Response.ResponseBuilder offer(String action, Map<String, String> hiddenFields, Object registrationOptions, String problem,
            boolean required, Locale locale) {
        TemplateInstance page = offer.data("action", action)
                .data("required", required)
                .data("hiddenFields", hiddenFields.entrySet())
                .data("optionsJson", json(registrationOptions))
                .data("problem", problem);
        return SecurityHeaders.allowPasskeyScript(Pages.html(page, locale, problem == null ? 200 : 400));
    }

    /**
     * The account security page. {@code registrationOptions} null leaves out the add-passkey section (passkeys
     * disabled); {@code totpAvailable} false leaves out the authenticator-app section.
     */
    public Response.ResponseBuilder security(String csrfToken, List<Passkey> passkeys, Object registrationOptions, boolean totpAvailable,
            boolean totpEnrolled, int recoveryCodesLeft, String problem, String notice, Locale locale) {
        DateTimeFormatter time = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT).withLocale(locale)
                .withZone(ZoneOffset.UTC);
        List<PasskeyView> views = passkeys.stream().map(p -> new PasskeyView(p.id(), p.name(), format(time, p.createdAt()),
                format(time, p.lastUsedAt()))).toList();
        TemplateInstance page = security.data("csrfToken", csrfToken)
                .data("passkeys", views)
                .data("optionsJson", registrationOptions == null ? null : json(registrationOptions))
                .data("totpAvailable", totpAvailable)
                .data("totpEnrolled", totpEnrolled)
                .data("recoveryCodesLeft", recoveryCodesLeft)
                .data("problem", problem)
                .data("notice", notice);
        Response.ResponseBuilder response = Pages.html(page, locale, problem == null ? 200 : 400);
        return registrationOptions == null ? response
                : SecurityHeaders.allowPasskeyScript(response);
    }

    /**
     * Ceremony options as JSON to put raw into a {@code <script type="application/json">} block (login.html's
     * {@code passkeyOptions}): {@code <}, {@code >} and {@code &} are written as JSON escapes, so no value (a user
     * name, a display name) can close the element or open a comment.
     */
    public static String json(Object options) {
        try {
            return JSON.writeValueAsString(options).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Passkey options are not representable as JSON", e);
        }
    }

    private static String format(DateTimeFormatter time, Instant instant) {
        return instant == null ? null : time.format(instant) + " UTC";
    }
}
