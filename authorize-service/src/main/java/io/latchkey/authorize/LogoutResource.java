package io.latchkey.authorize;

import io.latchkey.authorize.browser.BrowserCookies;
import io.latchkey.authorize.flow.Sessions;
import io.latchkey.authorize.logout.LogoutRequests;
import io.latchkey.authorize.pages.Locales;
import io.latchkey.authorize.pages.Pages;
import io.latchkey.model.audit.AuditEvent;
import io.latchkey.model.audit.AuditEventType;
import io.latchkey.model.audit.AuditTrail;
import io.latchkey.model.domain.SsoSession;
import io.latchkey.model.form.Parameters;
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
import java.util.Locale;
import java.util.Map;
import org.jboss.resteasy.reactive.RestCookie;

/**
 * The end-session endpoint (OIDC RP-Initiated Logout 1.0). An id_token_hint issued for this browser's current
 * session signs out at once; otherwise the person is asked first (§2), and only the confirmation form's POST
 * signs out: the SameSite=Lax session cookie does not travel on a cross-site POST, so another site cannot
 * forge it.
 */
@Path("/logout")
public class LogoutResource {

    private final LogoutRequests logouts;
    private final Sessions sessions;
    private final Pages pages;
    private final AuditTrail trail;

    public LogoutResource(LogoutRequests logouts, Sessions sessions, Pages pages, AuditTrail trail) {
        this.trail = trail;
        this.logouts = logouts;
        this.sessions = sessions;
        this.pages = pages;
    }

    @GET
    public Uni<Response> logout(@Context HttpServerRequest http, @Context HttpHeaders headers,
            @RestCookie(BrowserCookies.SESSION) String session) {
        return answer(Parameters.parse(http.query()), false, headers, session, 302);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> logoutByPost(byte[] body, @Context HttpHeaders headers,
            @RestCookie(BrowserCookies.SESSION) String session) {
        Parameters params = Parameters.parseBody(body);
        return answer(params, "yes".equals(params.single("confirm").orElse(null)), headers, session, 303);
    }

    private Uni<Response> answer(Parameters params, boolean confirmedByPerson, HttpHeaders headers, String session,
            int redirectStatus) {
        return logouts.validate(params, session).flatMap(logout -> {
            Locale locale = Locales.choose(logout.uiLocales(), headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE));
            if (!logout.confirmed() && !confirmedByPerson) {
                return Uni.createFrom().item(pages.logoutConfirmation(logout.fields(), locale).build());
            }
            return sessions.signOut(session).invoke(ended -> ended.ifPresent(s -> audit(s, logout)))
                    .map(ended -> logout.redirect()
                            .map(uri -> Response.status(redirectStatus).location(uri))
                            .orElseGet(() -> pages.loggedOut(locale))
                            .header(HttpHeaders.SET_COOKIE, BrowserCookies.expire(BrowserCookies.SESSION))
                            .build());
        });
    }

    /**
     * {@code sid} is the ended session's id as ID tokens carry it; {@code confirmed_by} says whether the client's
     * id_token_hint sufficed or the person confirmed on the page.
     */
    private void audit(SsoSession ended, LogoutRequests.Logout logout) {
        trail.emit(new AuditEvent(AuditEventType.LOGOUT, "user:" + ended.subject(), ended.subject(),
                logout.clientId().orElse(null), Map.of("sid", ended.id(),
                        "confirmed_by", logout.confirmed() ? "id_token_hint" : "person")));
    }
}
