package io.latchkey.authorize.par;

import io.latchkey.model.domain.ClientRegistration;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Pushed authorization requests (RFC 9126): {@code latchkey.par.*}. */
@ConfigMapping(prefix = "latchkey.par")
public interface ParConfig {

    /**
     * How long a pushed request waits for its /authorize, as {@code expires_in} says: the browser is sent there at
     * once, so a minute is plenty (RFC 9126 §2.2, §7.3: short-lived). At most 10 minutes.
     */
    @WithDefault("60s")
    Duration lifetime();

    /**
     * Whether every client must push its authorization requests (RFC 9126 §5, discovery's
     * {@code require_pushed_authorization_requests}); a client can be required to on its own.
     */
    @WithDefault("false")
    boolean required();

    /** Whether /authorize takes this client's requests only through a pushed request (RFC 9126 §5, §6). */
    default boolean requiredFor(ClientRegistration client) {
        return required() || client.requirePushedAuthorizationRequests();
    }
}
