package io.latchkey.authorize.pages;

import io.latchkey.authorize.SecurityHeaders;
import io.latchkey.authorize.flow.Outcome;
import io.latchkey.model.domain.AuthorizationRequest;
import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.domain.User;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import io.latchkey.ui.Messages;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders the login-ui templates (docs/architecture.md: the words and looks live there; the protocol stays here).
 * The security headers of every page are added by {@code SecurityHeaders}.
 */
@ApplicationScoped
public class Pages {

    /** RFC 9110 §10.2.3; also said on the error page. */
    public static final long RETRY_AFTER_SECONDS = 5;

    private static final MediaType HTML = MediaType.valueOf("text/html;charset=UTF-8");

    private final Template login;
    private final Template consent;
    private final Template error;
    private final Template logout;
    private final Template loggedOut;

    public Pages(@Location("latchkey/login.html") Template login, @Location("latchkey/consent.html") Template consent,
            @Location("latchkey/error.html") Template error, @Location("latchkey/logout.html") Template logout,
            @Location("latchkey/logged-out.html") Template loggedOut) {
        this.login = login;
        this.consent = consent;
        this.error = error;
        this.logout = logout;
        this.loggedOut = loggedOut;
    }

    /** Why the login page is shown again: nothing, wrong credentials, too many attempts, or a refused passkey. */
    public enum LoginProblem {
        NONE, INVALID, THROTTLED, PASSKEY
    }

    /**
     * @param passkeyOptions the passkey assertion options as JSON ({@link PasskeyPages#json}), or null: the page then
     *                       loads no script
     */
    public Response.ResponseBuilder login(AuthorizationRequest request, ClientRegistration client, Locale locale,
            LoginProblem problem, Duration wait, String passkeyOptions) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        TemplateInstance page = login.data("clientName", client.name())
                .data("requestId", request.id())
                .data("csrfToken", request.csrfToken())
                .data("username", request.loginHint())
                .data("problem", problem == LoginProblem.NONE ? null : problem.name().toLowerCase(Locale.ROOT))
                .data("retryAfter", seconds);
        if (passkeyOptions != null) {
            page.data("passkeys", true).data("passkeyOptions", passkeyOptions);
        }
        // 429 (RFC 6585 §4) with Retry-After for throttling; 401 tells scripts the credentials were wrong.
        int status = switch (problem) {
            case NONE -> 200;
            case INVALID, PASSKEY -> 401;
            case THROTTLED -> 429;
        };
        Response.ResponseBuilder response = html(page, locale, status);
        if (passkeyOptions != null) {
            SecurityHeaders.allowPasskeyScript(response);
        }
        return problem == LoginProblem.THROTTLED ? response.header("Retry-After", seconds) : response;
    }

    public Response.ResponseBuilder consent(AuthorizationRequest request, ClientRegistration client, User user, Locale locale) {
        Messages msg = messages(locale);
        List<String> scopes = request.scopes().stream().map(scope -> switch (scope) {
            case "openid" -> msg.scope_openid();
            case "profile" -> msg.scope_profile();
            case "email" -> msg.scope_email();
            case "offline_access" -> msg.scope_offline_access();
            default -> msg.scope_other(scope);
        }).toList();
        TemplateInstance page = consent.data("clientName", client.name())
                .data("requestId", request.id())
                .data("csrfToken", request.csrfToken())
                .data("username", user.username())
                .data("scopes", scopes);
        return html(page, locale, 200);
    }

    /** An error that must not go back to the client (no proven redirect_uri, or a broken form). */
    public Response.ResponseBuilder error(OAuthException problem, Locale locale) {
        OAuthError code = problem.error();
        boolean unavailable = code == OAuthError.TEMPORARILY_UNAVAILABLE;
        TemplateInstance page = error.data("error", code.code())
                .data("description", code == OAuthError.SERVER_ERROR ? null : problem.description())
                .data("unavailable", unavailable);
        Response.ResponseBuilder response = html(page, locale, code.status());
        return unavailable ? response.header("Retry-After", RETRY_AFTER_SECONDS) : response;
    }

    /** OIDC RP-Initiated Logout §2: ask before signing out when the request does not prove the client. */
    public Response.ResponseBuilder logoutConfirmation(Map<String, String> fields, Locale locale) {
        return html(logout.data("fields", fields.entrySet()), locale, 200);
    }

    /** A step of the flow that needs nothing more than its outcome: a redirect back to the client, or the consent page. */
    Response.ResponseBuilder answer(Outcome outcome, String acceptLanguage, int redirectStatus) {
        if (outcome instanceof Outcome.ShowConsent c) {
            return consent(c.request(), c.client(), c.user(), locale(c.request(), acceptLanguage));
        }
        return Response.status(redirectStatus).location(((Outcome.Redirect) outcome).location());
    }

    public static Locale locale(AuthorizationRequest request, String acceptLanguage) {
        return Locales.choose(request.uiLocales(), acceptLanguage);
    }

    public Response.ResponseBuilder loggedOut(Locale locale) {
        return html(loggedOut.instance(), locale, 200);
    }

    /** A page rendered in the locale, as every page of this package is (the second factor's and the passkeys' too). */
    static Response.ResponseBuilder html(TemplateInstance page, Locale locale, int status) {
        String body = page.data("lang", locale.getLanguage()).setLocale(locale).render();
        return Response.status(status).type(HTML).entity(body);
    }

    static Messages messages(Locale locale) {
        return Locale.ENGLISH.getLanguage().equals(locale.getLanguage())
                ? MessageBundles.get(Messages.class)
                : MessageBundles.get(Messages.class, Localized.Literal.of(locale.getLanguage()));
    }
}
