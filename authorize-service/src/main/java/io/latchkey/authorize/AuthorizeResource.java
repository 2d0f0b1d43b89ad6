package io.latchkey.authorize;

import io.latchkey.authorize.browser.BrowserCookies;
import io.latchkey.authorize.browser.ClientAddress;
import io.latchkey.authorize.flow.AuthorizationFlow;
import io.latchkey.authorize.pages.FlowPages;
import io.latchkey.authorize.par.PushedRequests;
import io.latchkey.model.form.Parameters;
import io.latchkey.model.token.OpaqueToken;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestCookie;

/**
 * The authorization endpoint (RFC 6749 §3.1), by GET and by form POST (OIDC Core §3.1.2.1). Parameters
 * are read from the raw query or body, so that repeated and malformed ones can be refused. A pushed request's
 * request_uri (RFC 9126 §4) stands for the parameters its client pushed to /par.
 */
@Path("/authorize")
public class AuthorizeResource {

    private final AuthorizationFlow flow;
    private final FlowPages pages;
    private final PushedRequests pushed;

    public AuthorizeResource(AuthorizationFlow flow, FlowPages pages, PushedRequests pushed) {
        this.flow = flow;
        this.pages = pages;
        this.pushed = pushed;
    }

    @GET
    public Uni<Response> authorize(@Context HttpServerRequest http, @Context HttpHeaders headers,
            @RestCookie(BrowserCookies.BROWSER) String browser, @RestCookie(BrowserCookies.SESSION) String session) {
        return answer(Parameters.parse(http.query()), headers, browser, session, ClientAddress.of(http));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> authorizeByPost(byte[] body, @Context HttpHeaders headers, @Context HttpServerRequest http,
            @RestCookie(BrowserCookies.BROWSER) String browser, @RestCookie(BrowserCookies.SESSION) String session) {
        return answer(Parameters.parseBody(body), headers, browser, session, ClientAddress.of(http));
    }

    private Uni<Response> answer(Parameters params, HttpHeaders headers, String browser, String session, String clientAddress) {
        boolean knownBrowser = browser != null && browser.matches("[A-Za-z0-9_-]{43}");
        String binding = knownBrowser ? browser : OpaqueToken.randomId(32);
        String acceptLanguage = headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE);
        return pushed.resolve(params)
                .flatMap(incoming -> flow.validate(incoming, binding))
                .flatMap(validated -> flow.start(validated, session, clientAddress))
                .flatMap(outcome -> pages.answer(outcome, acceptLanguage, 302))
                .map(response -> {
                    if (!knownBrowser) {
                        response.header(HttpHeaders.SET_COOKIE, BrowserCookies.set(BrowserCookies.BROWSER, binding));
                    }
                    return response.build();
                });
    }
}
