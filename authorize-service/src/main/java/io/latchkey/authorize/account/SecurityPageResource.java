package io.latchkey.authorize.account;

import io.latchkey.authorize.browser.BrowserCookies;
import io.latchkey.authorize.pages.AccountPages;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestQuery;

/** The account security page: the signed-in person's passkeys, TOTP authenticator and recovery codes. */
@Path("/account/security")
public class SecurityPageResource {

    private final AccountSessions accounts;
    private final AccountPages pages;

    public SecurityPageResource(AccountSessions accounts, AccountPages pages) {
        this.accounts = accounts;
        this.pages = pages;
    }

    @GET
    public Uni<Response> show(@RestCookie(BrowserCookies.SESSION) String session, @RestQuery("done") String done,
            @Context HttpHeaders headers) {
        String acceptLanguage = headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE);
        return accounts.require(session).flatMap(account -> pages.security(account, done, acceptLanguage))
                .map(Response.ResponseBuilder::build);
    }
}
