package io.latchkey.authorize.login;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The realm's sign-in policy ({@link SignInPolicy}); a client's own {@code secondFactor} overrides it unless it is required. */
@ConfigMapping(prefix = "latchkey.login")
public interface SignInPolicyConfig {

    /** {@code off}, {@code optional} or {@code required}. */
    @WithDefault("optional")
    String secondFactor();
}
