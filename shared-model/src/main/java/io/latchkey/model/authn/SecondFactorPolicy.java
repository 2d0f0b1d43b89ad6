package io.latchkey.model.authn;

import java.util.Locale;

/**
 * Whether a sign-in asks for a second factor, set per realm ({@code latchkey.login.second-factor}) and per client
 * ({@code second_factor} in its registration).
 */
public enum SecondFactorPolicy {
    /** Never asked, even of a user who enrolled one. */
    OFF,
    /** Asked of users who enrolled a TOTP authenticator. */
    OPTIONAL,
    /** Asked of everyone; a user without one enrols at sign-in. */
    REQUIRED;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The policy named in a realm file, a registration or a setting; null for null. */
    public static SecondFactorPolicy of(String value) {
        if (value == null) {
            return null;
        }
        for (SecondFactorPolicy policy : values()) {
            if (policy.value().equals(value)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("second_factor must be off, optional or required, not " + value);
    }
}
