package io.latchkey.authorize.account;

import io.latchkey.authorize.browser.BrowserCookies;
import io.latchkey.authorize.browser.ClientAddress;
import io.latchkey.authorize.flow.Sessions;
import io.latchkey.authorize.otp.SecondFactors;
import io.latchkey.authorize.otp.Verification;
import io.latchkey.authorize.otp.TotpEnrolling;
import io.latchkey.authorize.pages.AccountPages;
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
import org.jboss.resteasy.reactive.RestCookie;

/**
 * The signed-in person's TOTP authenticator: enrol one (scan, then confirm with its first code), remove it, or get new
 * recovery codes. Removing and regenerating ask for a current code as well, so a borrowed session alone cannot
 * take the second factor off an account.
 */
@Path("/account/totp")
public class AccountTotpResource {

    private final AccountSessions accounts;
    private final TotpEnrolling enrolling;
    private final SecondFactors secondFactors;
    private final Sessions sessions;
    private final AccountPages pages;

    public AccountTotpResource(AccountSessions accounts, TotpEnrolling enrolling, SecondFactors secondFactors, Sessions sessions,
            AccountPages pages) {
        this.accounts = accounts;
        this.enrolling = enrolling;
        this.secondFactors = secondFactors;
        this.sessions = sessions;
        this.pages = pages;
    }

    /** Shows a new secret as a QR code; reloading shows the same one until it is confirmed or expires. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> begin(byte[] body, @RestCookie(BrowserCookies.SESSION) String session, @Context HttpHeaders headers) {
        Parameters form = Parameters.parseBody(body);
        String acceptLanguage = headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE);
        return accounts.require(session, form).flatMap(account -> pages.totpEnrolment(account, null, acceptLanguage))
                .map(Response.ResponseBuilder::build);
    }

    @POST
    @Path("/confirm")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> confirm(byte[] body, @RestCookie(BrowserCookies.SESSION) String session, @Context HttpHeaders headers) {
        Parameters form = Parameters.parseBody(body);
        String acceptLanguage = headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE);
        return accounts.require(session, form).flatMap(account -> enrolling
                .confirm(AccountPages.enrolmentOwner(account), account.subject(), form.single("code").orElse(null))
                .flatMap(codes -> codes.isEmpty()
                        ? pages.totpEnrolment(account, "invalid", acceptLanguage)
                        : sessions.markSecondFactorEnrolled(account.session())
                                .replaceWith(pages.recoveryCodes(account, codes.get(), acceptLanguage))))
                .map(Response.ResponseBuilder::build);
    }

    @POST
    @Path("/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> remove(byte[] body, @RestCookie(BrowserCookies.SESSION) String session, @Context HttpHeaders headers,
            @Context HttpServerRequest http) {
        Parameters form = Parameters.parseBody(body);
        String acceptLanguage = headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE);
        return accounts.require(session, form).flatMap(account -> secondFactors
                .verify(account.subject(), form.single("code").orElse(null), ClientAddress.of(http))
                .flatMap(verification -> verification instanceof Verification.Accepted
                        ? secondFactors.remove(account.subject(), "user:" + account.subject())
                                .replaceWith(AccountPasskeysResource.backToSecurity("totp-removed"))
                        : pages.security(account, "code-refused", acceptLanguage)))
                .map(Response.ResponseBuilder::build);
    }

    @POST
    @Path("/recovery-codes")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> regenerate(byte[] body, @RestCookie(BrowserCookies.SESSION) String session,
            @Context HttpHeaders headers, @Context HttpServerRequest http) {
        Parameters form = Parameters.parseBody(body);
        String acceptLanguage = headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE);
        return accounts.require(session, form).flatMap(account -> secondFactors
                .verify(account.subject(), form.single("code").orElse(null), ClientAddress.of(http))
                .flatMap(verification -> verification instanceof Verification.Accepted
                        ? secondFactors.regenerateRecoveryCodes(account.subject())
                                .map(codes -> pages.recoveryCodes(account, codes, acceptLanguage))
                        : pages.security(account, "code-refused", acceptLanguage)))
                .map(Response.ResponseBuilder::build);
    }
}
