package io.latchkey.authorize.account;

import io.latchkey.authorize.browser.BrowserCookies;
import io.latchkey.authorize.pages.AccountPages;
import io.latchkey.authorize.passkeys.PasskeyRegistrations;
import io.latchkey.model.audit.AuditEvent;
import io.latchkey.model.audit.AuditEventType;
import io.latchkey.model.audit.AuditTrail;
import io.latchkey.model.directory.PasskeyDirectory;
import io.latchkey.model.form.Parameters;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Map;
import org.jboss.resteasy.reactive.RestCookie;

/**
 * The signed-in person's passkeys: add one, rename one, remove one. Each answer goes back to the security page (303
 * after a POST), which says what happened.
 */
@Path("/account/passkeys")
public class AccountPasskeysResource {

    static final int MAX_NAME = 64;

    private final AccountSessions accounts;
    private final PasskeyRegistrations registrations;
    private final PasskeyDirectory passkeys;
    private final AccountPages pages;
    private final AuditTrail audit;

    public AccountPasskeysResource(AccountSessions accounts, PasskeyRegistrations registrations, PasskeyDirectory passkeys,
            AccountPages pages, AuditTrail audit) {
        this.accounts = accounts;
        this.registrations = registrations;
        this.passkeys = passkeys;
        this.pages = pages;
        this.audit = audit;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> add(byte[] body, @RestCookie(BrowserCookies.SESSION) String session, @Context HttpHeaders headers) {
        Parameters form = Parameters.parseBody(body);
        String acceptLanguage = headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE);
        return accounts.require(session, form).flatMap(account -> registrations
                .register(account.subject(), account.session().id(), form)
                .flatMap(amr -> amr.isPresent() ? Uni.createFrom().item(backToSecurity("passkey-added"))
                        : pages.security(account, "passkey-refused", acceptLanguage)))
                .map(Response.ResponseBuilder::build);
    }

    @POST
    @Path("/rename")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> rename(byte[] body, @RestCookie(BrowserCookies.SESSION) String session) {
        Parameters form = Parameters.parseBody(body);
        long id = passkeyId(form);
        String name = form.single("name").map(String::strip).orElse("");
        if (name.isEmpty() || name.length() > MAX_NAME) {
            return Uni.createFrom().failure(new OAuthException(OAuthError.INVALID_REQUEST,
                    "A passkey's name must be 1 to " + MAX_NAME + " characters."));
        }
        return accounts.require(session, form)
                .flatMap(account -> passkeys.rename(account.subject(), id, name).invoke(renamed -> {
                    if (renamed) {
                        audit.emit(new AuditEvent(AuditEventType.PASSKEY_RENAMED, "user:" + account.subject(),
                                account.subject(), null, Map.of("passkey", id)));
                    }
                }))
                .map(renamed -> backToSecurity(renamed ? "passkey-renamed" : "passkey-missing").build());
    }

    @POST
    @Path("/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> remove(byte[] body, @RestCookie(BrowserCookies.SESSION) String session) {
        Parameters form = Parameters.parseBody(body);
        long id = passkeyId(form);
        return accounts.require(session, form)
                .flatMap(account -> passkeys.remove(account.subject(), id).invoke(removed -> {
                    if (removed) {
                        audit.emit(new AuditEvent(AuditEventType.PASSKEY_REMOVED, "user:" + account.subject(),
                                account.subject(), null, Map.of("passkey", id)));
                    }
                }))
                .map(removed -> backToSecurity(removed ? "passkey-removed" : "passkey-missing").build());
    }

    private static long passkeyId(Parameters form) {
        try {
            return Long.parseLong(form.single("id").orElse(""));
        } catch (NumberFormatException e) {
            throw new OAuthException(OAuthError.INVALID_REQUEST, "id must name one of your passkeys.");
        }
    }

    /** RFC 9110 §15.4.4: 303 after a POST; the page shows what happened from a fixed word, never from input. */
    static Response.ResponseBuilder backToSecurity(String notice) {
        return Response.seeOther(URI.create("/account/security?done=" + notice));
    }
}
