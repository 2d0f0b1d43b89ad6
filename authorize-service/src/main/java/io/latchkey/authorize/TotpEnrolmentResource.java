package io.latchkey.authorize;

import io.latchkey.authorize.browser.BrowserCookies;
import io.latchkey.authorize.flow.AuthorizationFlow;
import io.latchkey.authorize.flow.StepForms;
import io.latchkey.authorize.otp.TotpEnrolling;
import io.latchkey.authorize.pages.FlowPages;
import io.latchkey.model.authn.Amr;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.RestCookie;

/**
 * Enrolment of a TOTP authenticator during a sign-in that requires a second factor the user does not have yet. The
 * first code from the new authenticator proves it (and is the sign-in's second factor); the recovery codes are shown
 * once, then the sign-in goes on at {@code /login/continue}.
 */
@Path("/login/totp-enrolment")
public class TotpEnrolmentResource {

    private final StepForms forms;
    private final TotpEnrolling enrolling;
    private final AuthorizationFlow flow;
    private final FlowPages pages;

    public TotpEnrolmentResource(StepForms forms, TotpEnrolling enrolling, AuthorizationFlow flow, FlowPages pages) {
        this.forms = forms;
        this.enrolling = enrolling;
        this.flow = flow;
        this.pages = pages;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> confirm(byte[] body, @RestCookie(BrowserCookies.BROWSER) String browser, @Context HttpHeaders headers) {
        String acceptLanguage = headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE);
        return forms.read(body, browser).flatMap(step -> enrolling
                .confirm(FlowPages.enrolmentOwner(step.request()), step.signIn().subject(), step.field("code"))
                .flatMap(codes -> {
                    if (codes.isEmpty()) {
                        return pages.enrolmentRefused(step.request(), step.client(), acceptLanguage);
                    }
                    var proven = step.request().withSignIn(step.signIn().withAmr(Amr.combine(step.signIn().amr(), List.of(Amr.OTP))));
                    return flow.enrolledSecondFactor(proven)
                            .map(request -> pages.recoveryCodes(request, codes.get(), acceptLanguage));
                }))
                .map(Response.ResponseBuilder::build);
    }
}
