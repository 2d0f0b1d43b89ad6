package io.latchkey.authorize;

import io.latchkey.authorize.browser.BrowserCookies;
import io.latchkey.authorize.browser.ClientAddress;
import io.latchkey.authorize.flow.AuthorizationFlow;
import io.latchkey.authorize.flow.StepForms;
import io.latchkey.authorize.otp.SecondFactors;
import io.latchkey.authorize.otp.Verification;
import io.latchkey.authorize.pages.FlowPages;
import io.latchkey.model.authn.Amr;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
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
 * The second-factor form's target: a TOTP code or a recovery code for the sign-in under way. Wrong codes are throttled
 * per user like passwords; a code is accepted once (RFC 6238 §5.2).
 */
@Path("/login/second-factor")
public class SecondFactorResource {

    private final StepForms forms;
    private final SecondFactors secondFactors;
    private final AuthorizationFlow flow;
    private final FlowPages pages;

    public SecondFactorResource(StepForms forms, SecondFactors secondFactors, AuthorizationFlow flow, FlowPages pages) {
        this.forms = forms;
        this.secondFactors = secondFactors;
        this.flow = flow;
        this.pages = pages;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> verify(byte[] body, @RestCookie(BrowserCookies.BROWSER) String browser,
            @RestCookie(BrowserCookies.SESSION) String previousSession, @Context HttpHeaders headers,
            @Context HttpServerRequest http) {
        String acceptLanguage = headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE);
        String address = ClientAddress.of(http);
        return forms.read(body, browser).flatMap(step -> secondFactors
                .verify(step.signIn().subject(), step.field("code"), address)
                .flatMap(verification -> {
                    if (verification instanceof Verification.Accepted) {
                        // A recovery code stands in for the authenticator: a one-time password (RFC 8176 "otp").
                        return flow.afterSecondFactor(step.request(), step.client(), List.of(Amr.OTP), previousSession)
                                .flatMap(outcome -> pages.answer(outcome, acceptLanguage, 303));
                    }
                    return pages.secondFactorRefused(step.request(), step.client(), verification, acceptLanguage);
                }))
                .map(Response.ResponseBuilder::build);
    }
}
