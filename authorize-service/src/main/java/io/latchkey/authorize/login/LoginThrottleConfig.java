package io.latchkey.authorize.login;

import io.latchkey.model.store.LoginThrottleStore;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How failed logins slow down further attempts, per account and per client address. The address limit is
 * looser: many people can share one address (an office behind NAT).
 */
@ConfigMapping(prefix = "latchkey.login-throttle")
public interface LoginThrottleConfig {

    Kind account();

    Kind address();

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
