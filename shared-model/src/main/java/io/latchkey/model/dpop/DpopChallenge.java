package io.latchkey.model.dpop;

import io.latchkey.model.oauth.PrintableText;

/**
 * The {@code WWW-Authenticate} challenge of the DPoP scheme (RFC 9449 §7.1): {@code DPoP realm="…"}, the RFC 6750
 * §3 error and description when a token was presented, and {@code algs}, the proof algorithms accepted.
 */
public final class DpopChallenge {

    private static final String ALGS = String.join(" ", Dpop.SIGNING_ALGORITHMS);

    private DpopChallenge() {
    }

    /** @param error null when no token was presented (RFC 6750 §3.1, RFC 9449 §7.2: then no error information) */
    public static String of(String realm, String error, String description) {
        StringBuilder challenge = new StringBuilder("DPoP realm=\"").append(realm).append('"');
        if (error != null) {
            challenge.append(", error=\"").append(error).append('"');
            if (description != null) {
                challenge.append(", error_description=\"").append(PrintableText.of(description)).append('"');
            }
        }
        return challenge.append(", algs=\"").append(ALGS).append('"').toString();
    }
}
