package io.latchkey.authorize;

import io.latchkey.authorize.browser.BrowserCookies;
import io.latchkey.authorize.flow.AuthorizationFlow;
import io.latchkey.authorize.flow.StepForms;
import io.latchkey.authorize.pages.FlowPages;
import io.latchkey.authorize.passkeys.PasskeyAssertions;
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
 * A passkey assertion from the login page (the first factor, with or without a username) or from the second-factor
 * page (after a password). The challenge it signed must be one this request's page was given.
 */
@Path("/login/passkey")
public class PasskeyLoginResource {

    private final StepForms forms;
    private final PasskeyAssertions assertions;
    private final AuthorizationFlow flow;
    private final FlowPages pages;

    public PasskeyLoginResource(StepForms forms, PasskeyAssertions assertions, AuthorizationFlow flow, FlowPages pages) {
        this.forms = forms;
        this.assertions = assertions;
        this.flow = flow;
        this.pages = pages;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> signIn(byte[] body, @RestCookie(BrowserCookies.BROWSER) String browser,
            @RestCookie(BrowserCookies.SESSION) String previousSession, @Context HttpHeaders headers) {
        String acceptLanguage = headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE);
        return forms.read(body, browser).flatMap(step -> assertions.verify(step).flatMap(result -> {
            if (result instanceof PasskeyAssertions.Result.FirstFactor first) {
                return flow.afterFirstFactor(step.request(), step.client(), first.subject(), first.amr(), previousSession, false)
                        .flatMap(outcome -> pages.answer(outcome, acceptLanguage, 303));
            }
            if (result instanceof PasskeyAssertions.Result.SecondFactor second) {
                return flow.afterSecondFactor(step.request(), step.client(), second.amr(), previousSession)
                        .flatMap(outcome -> pages.answer(outcome, acceptLanguage, 303));
            }
            return pages.passkeyRefused(step.request(), step.client(), acceptLanguage);
        })).map(Response.ResponseBuilder::build);
    }
}
