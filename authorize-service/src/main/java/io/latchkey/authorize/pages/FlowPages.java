package io.latchkey.authorize.pages;

import io.latchkey.authorize.browser.BrowserCookies;
import io.latchkey.authorize.flow.Outcome;
import io.latchkey.authorize.login.LoginOptions;
import io.latchkey.authorize.login.SignInPolicy;
import io.latchkey.authorize.otp.TotpEnrolments;
import io.latchkey.authorize.otp.TotpSecrets;
import io.latchkey.authorize.otp.Verification;
import io.latchkey.authorize.passkeys.PasskeyAssertions;
import io.latchkey.authorize.passkeys.PasskeyRegistrations;
import io.latchkey.model.directory.UserDirectory;
import io.latchkey.model.domain.AuthorizationRequest;
import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.domain.SignInProgress;
import io.latchkey.model.domain.User;
import io.latchkey.model.token.OpaqueToken;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The browser's next page for each step of the flow. Pages of a sign-in step are made with what they need from the
 * stores: a fresh passkey challenge for the login and second-factor pages, the pending TOTP secret for an enrolment.
 */
@ApplicationScoped
public class FlowPages {

    private final Pages pages;
    private final SecondFactorPages secondFactorPages;
    private final PasskeyPages passkeyPages;
    private final PasskeyAssertions assertions;
    private final PasskeyRegistrations registrations;
    private final TotpEnrolments enrolments;
    private final TotpSecrets secrets;
    private final LoginOptions options;
    private final UserDirectory users;
    private final SignInPolicy policy;

    public FlowPages(Pages pages, SecondFactorPages secondFactorPages, PasskeyPages passkeyPages, PasskeyAssertions assertions,
            PasskeyRegistrations registrations, TotpEnrolments enrolments, TotpSecrets secrets, LoginOptions options,
            UserDirectory users, SignInPolicy policy) {
        this.policy = policy;
        this.pages = pages;
        this.secondFactorPages = secondFactorPages;
        this.passkeyPages = passkeyPages;
        this.assertions = assertions;
        this.registrations = registrations;
        this.enrolments = enrolments;
        this.secrets = secrets;
        this.options = options;
        this.users = users;
    }

    /** What a pending TOTP enrolment of a sign-in is stored under: its request. */
    public static String enrolmentOwner(AuthorizationRequest request) {
        return OpaqueToken.sha256("request:" + request.id());
    }

    public Uni<Response.ResponseBuilder> answer(Outcome outcome, String acceptLanguage, int redirectStatus) {
        if (outcome instanceof Outcome.SignedIn signedIn) {
            return answer(signedIn.next(), acceptLanguage, redirectStatus).map(response -> response.header(HttpHeaders.SET_COOKIE,
                    BrowserCookies.set(BrowserCookies.SESSION, signedIn.session().cookieValue())));
        }
        if (outcome instanceof Outcome.ShowLogin l) {
            return login(l.request(), l.client(), acceptLanguage, Pages.LoginProblem.NONE, Duration.ZERO);
        }
        if (outcome instanceof Outcome.ShowSecondFactor s) {
            return secondFactor(s.request(), s.client(), s.enrolled(), acceptLanguage, Pages.LoginProblem.NONE, Duration.ZERO);
        }
        if (outcome instanceof Outcome.ShowEnrolment e) {
            return enrolment(e.request(), acceptLanguage, false);
        }
        if (outcome instanceof Outcome.OfferPasskey o) {
            return offer(o.request(), acceptLanguage, null, false);
        }
        return Uni.createFrom().item(pages.answer(outcome, acceptLanguage, redirectStatus));
    }

    public Uni<Response.ResponseBuilder> login(AuthorizationRequest request, ClientRegistration client, String acceptLanguage,
            Pages.LoginProblem problem, Duration wait) {
        return assertions.options(request).map(passkeys -> pages.login(request, client, Pages.locale(request, acceptLanguage),
                problem, wait, passkeys.map(PasskeyPages::json).orElse(null)));
    }

    /** The second-factor page again after a wrong or throttled code. */
    public Uni<Response.ResponseBuilder> secondFactorRefused(AuthorizationRequest request, ClientRegistration client,
            Verification refused, String acceptLanguage) {
        Duration wait = refused instanceof Verification.Throttled t ? t.retryAfter()
                : ((Verification.Rejected) refused).retryAfter();
        Pages.LoginProblem problem = refused instanceof Verification.Throttled || !wait.isZero()
                ? Pages.LoginProblem.THROTTLED : Pages.LoginProblem.INVALID;
        return options.of(request.signIn().subject())
                .flatMap(enrolled -> secondFactor(request, client, enrolled, acceptLanguage, problem, wait));
    }

    /** The page the refused passkey came from: the login page, or the second-factor page. */
    public Uni<Response.ResponseBuilder> passkeyRefused(AuthorizationRequest request, ClientRegistration client,
            String acceptLanguage) {
        if (request.signIn() == null) {
            return login(request, client, acceptLanguage, Pages.LoginProblem.PASSKEY, Duration.ZERO);
        }
        return options.of(request.signIn().subject()).flatMap(enrolled -> secondFactor(request, client, enrolled, acceptLanguage,
                Pages.LoginProblem.PASSKEY, Duration.ZERO));
    }

    /** The enrolment page again after a wrong confirming code. */
    public Uni<Response.ResponseBuilder> enrolmentRefused(AuthorizationRequest request, ClientRegistration client,
            String acceptLanguage) {
        return enrolment(request, acceptLanguage, true);
    }

    /** The passkey page again after the browser's passkey was refused: still required if the sign-in is short of the policy. */
    public Uni<Response.ResponseBuilder> passkeyRegistrationRefused(AuthorizationRequest request, ClientRegistration client,
            String acceptLanguage) {
        SignInProgress signIn = request.signIn();
        boolean required = !policy.satisfiedBy(signIn.amr(), request, client, signIn.secondFactorEnrolled());
        return offer(request, acceptLanguage, "refused", required);
    }

    /** The recovery codes of a TOTP enrolled during a sign-in, shown once; continuing finishes the sign-in. */
    public Response.ResponseBuilder recoveryCodes(AuthorizationRequest request, List<String> codes, String acceptLanguage) {
        return secondFactorPages.recoveryCodes(codes, "/login/continue", requestFields(request),
                Pages.locale(request, acceptLanguage));
    }

    private Uni<Response.ResponseBuilder> secondFactor(AuthorizationRequest request, ClientRegistration client,
            LoginOptions.Enrolled enrolled, String acceptLanguage, Pages.LoginProblem problem, Duration wait) {
        Locale locale = Pages.locale(request, acceptLanguage);
        if (enrolled.passkeys() == 0) {
            return Uni.createFrom().item(secondFactorPages.secondFactor(request, client, locale, problem, wait, enrolled.totp(), null));
        }
        return assertions.options(request).map(passkeys -> secondFactorPages.secondFactor(request, client, locale, problem, wait,
                enrolled.totp(), passkeys.map(PasskeyPages::json).orElse(null)));
    }

    /**
     * A second factor is required and the user has none: an authenticator app to enrol, or, where no TOTP key is
     * configured, a passkey to make.
     */
    private Uni<Response.ResponseBuilder> enrolment(AuthorizationRequest request, String acceptLanguage, boolean invalid) {
        Locale locale = Pages.locale(request, acceptLanguage);
        String subject = request.signIn().subject();
        if (!secrets.available()) {
            return offer(request, acceptLanguage, invalid ? "refused" : null, true);
        }
        return Uni.combine().all().unis(enrolments.begin(enrolmentOwner(request), subject), users.find(subject)).asTuple()
                .map(t -> secondFactorPages.totpEnrol("/login/totp-enrolment", requestFields(request),
                        t.getItem2().map(User::username).orElse(subject), t.getItem1(), locale, true, invalid));
    }

    private Uni<Response.ResponseBuilder> offer(AuthorizationRequest request, String acceptLanguage, String problem,
            boolean required) {
        Locale locale = Pages.locale(request, acceptLanguage);
        return registrations.options(request.signIn().subject(), request.id()).map(creation -> passkeyPages.offer(
                "/login/passkey-registration", requestFields(request), creation.orElse(null), problem, required, locale));
    }

    private static Map<String, String> requestFields(AuthorizationRequest request) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("request_id", request.id());
        fields.put("csrf_token", request.csrfToken());
        return fields;
    }
}
