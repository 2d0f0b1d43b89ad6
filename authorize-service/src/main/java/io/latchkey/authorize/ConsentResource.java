package io.latchkey.authorize;

import io.latchkey.authorize.browser.BrowserCookies;
import io.latchkey.authorize.flow.AuthorizationFlow;
import io.latchkey.authorize.flow.PendingRequests;
import io.latchkey.authorize.pages.Pages;
import io.latchkey.model.oauth.OAuthError;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;

/** The consent form's target: approve issues the code, deny answers access_denied. */
@Path("/consent")
public class ConsentResource {

    private final PendingRequests pending;
    private final AuthorizationFlow flow;
    private final Pages pages;

    public ConsentResource(PendingRequests pending, AuthorizationFlow flow, Pages pages) {
        this.pending = pending;
        this.flow = flow;
        this.pages = pages;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> decide(@RestForm("request_id") String requestId, @RestForm("csrf_token") String csrfToken,
            @RestForm String decision, @RestCookie(BrowserCookies.BROWSER) String browser,
            @RestCookie(BrowserCookies.SESSION) String session, @Context HttpHeaders headers) {
        if (!"approve".equals(decision) && !"deny".equals(decision)) {
            return Uni.createFrom().failure(OAuthError.INVALID_REQUEST.withDescription("decision must be approve or deny."));
        }
        String acceptLanguage = headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE);
        return pending.require(requestId, browser, csrfToken)
                .flatMap(request -> flow.clientOf(request)
                        .flatMap(client -> flow.afterConsent(request, client, session, "approve".equals(decision))))
                .map(outcome -> pages.answer(outcome, acceptLanguage, 303).build());
    }
}
