package io.latchkey.model.oauth;

/**
 * The {@code WWW-Authenticate} challenge of RFC 6750 §3, written the same way by every service that takes bearer
 * tokens: {@code Bearer realm="…"}, then, when a token was presented, {@code error}, {@code error_description}
 * (sanitised: §3 allows no quote, backslash or control character) and the {@code scope} that was missing.
 */
public final class BearerChallenge {

    private BearerChallenge() {
    }

    /**
     * @param error       the RFC 6750 error code, or null when no token was presented (§3.1: then none is given)
     * @param description null for none
     * @param scope       the scope the resource needs, given with insufficient_scope; null for none
     */
    public static String of(String realm, String error, String description, String scope) {
        StringBuilder challenge = new StringBuilder("Bearer realm=\"").append(realm).append('"');
        if (error != null) {
            challenge.append(", error=\"").append(error).append('"');
            if (description != null) {
                challenge.append(", error_description=\"").append(PrintableText.of(description)).append('"');
            }
            if (scope != null) {
                challenge.append(", scope=\"").append(PrintableText.of(scope)).append('"');
            }
        }
        return challenge.toString();
    }
}
