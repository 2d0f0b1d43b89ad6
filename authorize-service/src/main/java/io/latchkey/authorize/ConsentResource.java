package io.latchkey.authorize;

import io.latchkey.authorize.browser.BrowserCookies;
import io.latchkey.authorize.flow.AuthorizationFlow;
import io.latchkey.authorize.flow.PendingRequests;
import io.latchkey.authorize.pages.FlowPages;
import io.latchkey.model.form.Parameters;
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

/** The consent form's target: approve issues the code, deny answers access_denied. */
@Path("/consent")
public class ConsentResource {

    private final PendingRequests pending;
    private final AuthorizationFlow flow;
    private final FlowPages pages;

    public ConsentResource(PendingRequests pending, AuthorizationFlow flow, FlowPages pages) {
        this.pending = pending;
        this.flow = flow;
        this.pages = pages;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> decide(byte[] body, @RestCookie(BrowserCookies.BROWSER) String browser,
            @RestCookie(BrowserCookies.SESSION) String session, @Context HttpHeaders headers) {
        // Parsed by Parameters, as at /authorize: a malformed form is a 400 page, not the framework's 500.
        Parameters form = Parameters.parseBody(body);
        String requestId = form.single("request_id").orElse(null);
        String csrfToken = form.single("csrf_token").orElse(null);
        String decision = form.single("decision").orElse(null);
        if (!"approve".equals(decision) && !"deny".equals(decision)) {
            return Uni.createFrom().failure(OAuthError.INVALID_REQUEST.withDescription("decision must be approve or deny."));
        }
        String acceptLanguage = headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE);
        return pending.require(requestId, browser, csrfToken)
                .flatMap(request -> flow.clientOf(request)
                        .flatMap(client -> flow.afterConsent(request, client, session, "approve".equals(decision))))
                .flatMap(outcome -> pages.answer(outcome, acceptLanguage, 303))
                .map(Response.ResponseBuilder::build);
    }
}
