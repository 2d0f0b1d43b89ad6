package io.latchkey.authorize;

import io.latchkey.authorize.browser.BrowserCookies;
import io.latchkey.authorize.flow.AuthorizationFlow;
import io.latchkey.authorize.flow.StepForms;
import io.latchkey.authorize.pages.FlowPages;
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
 * Goes on with a sign-in whose factors are all proven, from a page that only informed or offered: the recovery codes
 * after an enrolment, or a declined passkey offer ({@code decision=later}, remembered in this browser). The flow
 * checks the policy again, so a sign-in short of a factor cannot finish here.
 */
@Path("/login/continue")
public class SignInContinueResource {

    private final StepForms forms;
    private final AuthorizationFlow flow;
    private final FlowPages pages;

    public SignInContinueResource(StepForms forms, AuthorizationFlow flow, FlowPages pages) {
        this.forms = forms;
        this.flow = flow;
        this.pages = pages;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> proceed(byte[] body, @RestCookie(BrowserCookies.BROWSER) String browser,
            @RestCookie(BrowserCookies.SESSION) String previousSession, @Context HttpHeaders headers) {
        String acceptLanguage = headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE);
        return forms.read(body, browser).flatMap(step -> {
            step.signIn();
            boolean declined = "later".equals(step.field("decision"));
            return flow.complete(step.request(), step.client(), previousSession)
                    .flatMap(outcome -> pages.answer(outcome, acceptLanguage, 303))
                    .map(response -> declined ? response.header(HttpHeaders.SET_COOKIE, BrowserCookies.set(
                            BrowserCookies.PASSKEY_DECLINED, "1", BrowserCookies.PASSKEY_DECLINED_FOR)) : response);
        }).map(Response.ResponseBuilder::build);
    }
}
