package io.latchkey.authorize.login;

import io.latchkey.model.store.TrustedDeviceStore;
import io.latchkey.model.token.OpaqueToken;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * The device cookie (OWASP Authentication Cheat Sheet, "device cookies"): after a successful login the browser
 * gets a random secret bound to the account. A later attempt for that account that presents it is throttled
 * on the device's own budget, never on the account-wide one, so an attacker guessing from elsewhere cannot
 * lock the owner out of the browsers they already use.
 */
@ApplicationScoped
public class TrustedDevices {

    private final TrustedDeviceStore store;
    private final LoginThrottleConfig config;

    public TrustedDevices(TrustedDeviceStore store, LoginThrottleConfig config) {
        this.store = store;
        this.config = config;
    }

    /** The device's id (the SHA-256 of its cookie) when the cookie was issued for {@code account}. */
    public Uni<Optional<String>> recognise(String cookieValue, String account) {
        if (cookieValue == null || cookieValue.isEmpty() || cookieValue.length() > 64) {
            return Uni.createFrom().item(Optional.empty());
        }
        String device = OpaqueToken.sha256(cookieValue);
        return store.account(device).map(bound -> account.equals(bound) ? Optional.of(device) : Optional.empty());
    }

    /**
     * Trusts this browser for {@code account} with a fresh secret; the one it presented, if any, is forgotten,
     * so a cookie copied before this login is worth nothing after it. Returns the new cookie value.
     */
    public Uni<String> trust(String account, String previousCookieValue) {
        String secret = OpaqueToken.randomId(32);
        Uni<Void> forget = previousCookieValue == null || previousCookieValue.isEmpty() || previousCookieValue.length() > 64
                ? Uni.createFrom().voidItem()
                : store.forget(OpaqueToken.sha256(previousCookieValue));
        return forget.flatMap(x -> store.trust(OpaqueToken.sha256(secret), account, config.deviceLifetime()))
                .replaceWith(secret);
    }
}
