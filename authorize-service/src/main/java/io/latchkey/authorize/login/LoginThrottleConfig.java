package io.latchkey.authorize.login;

import io.latchkey.model.store.LoginThrottleStore;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How failed logins slow down further attempts. A browser without a trusted-device cookie for the account
 * is throttled per account and per client address; the address limit is looser, as many people can share
 * one address (an office behind NAT). A trusted device is throttled on its own budget only.
 */
@ConfigMapping(prefix = "latchkey.login-throttle")
public interface LoginThrottleConfig {

    Kind account();

    Kind address();

    Kind device();

    /** How long a browser stays trusted for an account after its last successful login there. */
    @WithDefault("P90D")
    Duration deviceLifetime();

    interface Kind {
        /** Failures allowed before any wait. */
        int freeAttempts();

        /** The wait after the first failure past the free ones; each further failure doubles it. */
        @WithDefault("1s")
        Duration firstDelay();

        @WithDefault("15m")
        Duration maxDelay();

        /** How long failures are remembered. */
        @WithDefault("1h")
        Duration window();

        default LoginThrottleStore.Policy policy() {
            return new LoginThrottleStore.Policy(freeAttempts(), firstDelay(), maxDelay(), window());
        }
    }
}
