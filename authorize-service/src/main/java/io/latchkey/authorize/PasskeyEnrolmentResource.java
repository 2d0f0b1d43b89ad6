package io.latchkey.authorize;

import io.latchkey.authorize.browser.BrowserCookies;
import io.latchkey.authorize.flow.AuthorizationFlow;
import io.latchkey.authorize.flow.StepForms;
import io.latchkey.authorize.pages.FlowPages;
import io.latchkey.authorize.passkeys.PasskeyRegistrations;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestCookie;

/**
 * A passkey made during a sign-in: offered after a password, or enrolled because the client requires a second factor
 * the user does not have. Making it proves the new key is held, so it counts as a factor of this sign-in.
 */
@Path("/login/passkey-registration")
public class PasskeyEnrolmentResource {

    private final StepForms forms;
    private final PasskeyRegistrations registrations;
    private final AuthorizationFlow flow;
    private final FlowPages pages;

    public PasskeyEnrolmentResource(StepForms forms, PasskeyRegistrations registrations, AuthorizationFlow flow, FlowPages pages) {
        this.forms = forms;
        this.registrations = registrations;
        this.flow = flow;
        this.pages = pages;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> register(byte[] body, @RestCookie(BrowserCookies.BROWSER) String browser,
            @RestCookie(BrowserCookies.SESSION) String previousSession, @Context HttpHeaders headers) {
        String acceptLanguage = headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE);
        return forms.read(body, browser).flatMap(step -> registrations
                .register(step.signIn().subject(), step.request().id(), step.fields())
                .flatMap(amr -> amr.isPresent()
                        ? flow.afterSecondFactor(step.request(), step.client(), amr.get(), previousSession)
                                .flatMap(outcome -> pages.answer(outcome, acceptLanguage, 303))
                        : pages.passkeyRegistrationRefused(step.request(), step.client(), acceptLanguage)))
                .map(Response.ResponseBuilder::build);
    }
}
