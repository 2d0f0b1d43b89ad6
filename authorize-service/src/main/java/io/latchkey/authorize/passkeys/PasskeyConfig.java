package io.latchkey.authorize.passkeys;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Passkeys (WebAuthn Level 3), {@code latchkey.passkeys.*}. The RP ID and origin come from {@code latchkey.issuer}. */
@ConfigMapping(prefix = "latchkey.passkeys")
public interface PasskeyConfig {

    /** Whether passkeys can be registered and used. The issuer's host must then be a domain name, not an IP address. */
    @WithDefault("true")
    boolean enabled();

    /**
     * How long a challenge waits for its ceremony; also the ceremony's {@code timeout} hint to the browser
     * (WebAuthn §5.4.10 recommends 5 minutes).
     */
    @WithDefault("5m")
    Duration challengeLifetime();

    /** The name an authenticator shows beside the RP ID when it lists or offers a passkey (WebAuthn §5.4.1 rp.name). */
    @WithDefault("Latchkey")
    String rpName();
}
