package io.latchkey.authorize.browser;

import java.time.Duration;

/**
 * The cookies of the authorize leg. Both use the {@code __Host-} prefix (RFC 6265bis §4.1.3.2), which
 * makes the browser refuse them unless they are Secure, host-only and Path=/, so no sibling domain can
 * plant or overwrite them. SameSite=Lax keeps them off cross-site POSTs while the top-level redirects of
 * the flow still carry them. Chromium and Firefox accept Secure cookies from {@code http://localhost}, so
 * a local issuer needs no exception.
 */
public final class BrowserCookies {

    /** The SSO session; its value is a secret whose SHA-256 is the session id in Redis. */
    public static final String SESSION = "__Host-lk_session";

    /** Ties pending authorization requests to the browser that started them. */
    public static final String BROWSER = "__Host-lk_browser";

    /**
     * Marks a browser that has signed in to an account before, so that it keeps a login budget of its own
     * ({@code TrustedDevices}); its value is a secret whose SHA-256 names the device in Redis.
     */
    public static final String DEVICE = "__Host-lk_device";

    /** The person declined a passkey in this browser: it is not offered again after a password sign-in for a while. */
    public static final String PASSKEY_DECLINED = "__Host-lk_passkey_later";

    /** How long a declined passkey offer stays declined in a browser. */
    public static final Duration PASSKEY_DECLINED_FOR = Duration.ofDays(30);

    private BrowserCookies() {
    }

    public static String set(String name, String value) {
        return name + "=" + value + "; Path=/; Secure; HttpOnly; SameSite=Lax";
    }

    /** A cookie that outlives the browser session, for {@code maxAge}. */
    public static String set(String name, String value, Duration maxAge) {
        return set(name, value) + "; Max-Age=" + maxAge.toSeconds();
    }

    public static String expire(String name) {
        return name + "=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax";
    }
}
