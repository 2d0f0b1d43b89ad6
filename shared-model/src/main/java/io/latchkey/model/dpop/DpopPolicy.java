package io.latchkey.model.dpop;

import java.util.Locale;

/**
 * Whether a client's tokens must be sender-constrained with DPoP (RFC 9449), set per client ({@code dpop} in the
 * realm file, {@code dpop_bound_access_tokens} in a registration, RFC 9449 §5.2).
 */
public enum DpopPolicy {
    /** A token request may carry a DPoP proof; with one, the tokens are bound to its key. */
    ALLOWED,
    /** Every token request must carry a DPoP proof (RFC 9449 §5.2, dpop_bound_access_tokens=true). */
    REQUIRED;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The policy named in a realm file or a setting; {@link #ALLOWED} for null. */
    public static DpopPolicy of(String value) {
        if (value == null) {
            return ALLOWED;
        }
        for (DpopPolicy policy : values()) {
            if (policy.value().equals(value)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("dpop must be allowed or required, not " + value);
    }
}
