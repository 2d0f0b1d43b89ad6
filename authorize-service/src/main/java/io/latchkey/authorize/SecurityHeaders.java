package io.latchkey.authorize;

import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Headers of every answer of this service. Pages must not be framed (clickjacking of the consent button,
 * RFC 6819 §4.4.1.9), must not leak the request in a Referer, and must not be cached: they carry CSRF
 * tokens, and redirects carry codes (RFC 9700 §4.2.4).
 */
public class SecurityHeaders {

    /** No script at all; styles from this origin only; no framing; no base or plugin tricks. */
    public static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'";

    /**
     * The pages that use passkeys load one script, from this origin; it fetches nothing (no connect-src). No
     * form-action: browsers check it against every redirect of a form's navigation (CSP3 §6.4.1 form-action;
     * Chromium does), and these forms are answered with a 303 to the client's redirect_uri, another origin.
     */
    public static final String PASSKEY_PAGE_POLICY = CONTENT_SECURITY_POLICY + "; script-src 'self'";

    /** A page that loads the passkey script: its policy, which {@link #addHeaders} then leaves in place. */
    public static Response.ResponseBuilder allowPasskeyScript(Response.ResponseBuilder page) {
        return page.header("Content-Security-Policy", PASSKEY_PAGE_POLICY);
    }

    @ServerResponseFilter
    public void addHeaders(ContainerResponseContext response) {
        var headers = response.getHeaders();
        // A page that loads the passkey script has set its own, stricter-than-nothing policy.
        if (!headers.containsKey("Content-Security-Policy")) {
            headers.putSingle("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        }
        headers.putSingle("X-Frame-Options", "DENY");
        headers.putSingle("Referrer-Policy", "no-referrer");
        if (!headers.containsKey(HttpHeaders.CACHE_CONTROL)) {
            headers.putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
            headers.putSingle("Pragma", "no-cache");
        }
    }
}
