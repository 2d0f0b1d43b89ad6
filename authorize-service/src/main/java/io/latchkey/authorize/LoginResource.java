package io.latchkey.authorize;

import io.latchkey.authorize.browser.BrowserCookies;
import io.latchkey.authorize.browser.ClientAddress;
import io.latchkey.authorize.flow.AuthorizationFlow;
import io.latchkey.authorize.flow.PendingRequests;
import io.latchkey.authorize.login.LoginService;
import io.latchkey.authorize.pages.FlowPages;
import io.latchkey.authorize.pages.Pages;
import io.latchkey.model.authn.Amr;
import io.latchkey.model.domain.AuthorizationRequest;
import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.form.Parameters;
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
 * The login form's target: checks the form against its pending request, then the password. A right password is the
 * first factor; the flow decides whether a second one is asked before a session opens.
 */
@Path("/login")
public class LoginResource {

    private final PendingRequests pending;
    private final AuthorizationFlow flow;
    private final LoginService logins;
    private final FlowPages pages;

    public LoginResource(PendingRequests pending, AuthorizationFlow flow, LoginService logins, FlowPages pages) {
        this.pending = pending;
        this.flow = flow;
        this.logins = logins;
        this.pages = pages;
    }

    // The form is parsed by Parameters, as at /authorize and /logout: a malformed percent-encoding or too many
    // fields is a 400 invalid_request page, where the framework's form decoder answered 500.
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> login(byte[] body,
            @RestCookie(BrowserCookies.BROWSER) String browser, @RestCookie(BrowserCookies.SESSION) String previousSession,
            @RestCookie(BrowserCookies.DEVICE) String device, @RestCookie(BrowserCookies.PASSKEY_DECLINED) String passkeyDeclined,
            @Context HttpHeaders headers, @Context HttpServerRequest http) {
        Parameters form = Parameters.parseBody(body).requireNoRepeats();
        String requestId = form.single("request_id").orElse(null);
        String csrfToken = form.single("csrf_token").orElse(null);
        String username = form.single("username").orElse(null);
        String password = form.single("password").orElse(null);
        // Set by the page's script when the browser can make a passkey; without script there is nothing to offer.
        boolean offerPasskey = form.single("passkey_capable").filter("true"::equals).isPresent() && passkeyDeclined == null;
        String acceptLanguage = headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE);
        String address = ClientAddress.of(http);
        char[] secret = password == null ? new char[0] : password.toCharArray();
        return pending.require(requestId, browser, csrfToken)
                .flatMap(request -> flow.clientOf(request).flatMap(client -> logins.login(username, secret, address, device, request.clientId())
                        .flatMap(result -> answer(result, request, client, previousSession, offerPasskey, acceptLanguage))))
                .map(Response.ResponseBuilder::build);
    }

    private Uni<Response.ResponseBuilder> answer(LoginService.Result result, AuthorizationRequest request,
            ClientRegistration client, String previousSession, boolean offerPasskey, String acceptLanguage) {
        if (result instanceof LoginService.Result.Throttled t) {
            return pages.login(request, client, acceptLanguage, Pages.LoginProblem.THROTTLED, t.retryAfter());
        }
        if (result instanceof LoginService.Result.Failure f) {
            Pages.LoginProblem problem = f.retryAfter().isZero() ? Pages.LoginProblem.INVALID : Pages.LoginProblem.THROTTLED;
            return pages.login(request, client, acceptLanguage, problem, f.retryAfter());
        }
        var success = (LoginService.Result.Success) result;
        return flow.afterFirstFactor(request, client, success.user().id(), List.of(Amr.PWD), previousSession, offerPasskey)
                // RFC 9700 §4.12: 303 after a POST, so the browser does not re-send the form to the client.
                .flatMap(outcome -> pages.answer(outcome, acceptLanguage, 303))
                .map(response -> response.header(HttpHeaders.SET_COOKIE, BrowserCookies.set(BrowserCookies.DEVICE, success.deviceCookie(),
                        logins.deviceLifetime())));
    }
}
