package io.latchkey.admin.auth;

import io.latchkey.model.oauth.BearerChallenge;

/**
 * A request without an acceptable access token (RFC 6750 §3.1): {@code invalid_request} 400,
 * {@code invalid_token} 401 or {@code insufficient_scope} 403. AdminErrorMapper writes it in the format of the
 * area that was called, always with the {@code WWW-Authenticate: Bearer} challenge.
 */
public final class AdminAuthException extends RuntimeException {

    public enum Reason {
        MISSING(401, null),
        MALFORMED(400, "invalid_request"),
        INVALID_TOKEN(401, "invalid_token"),
        INSUFFICIENT_SCOPE(403, "insufficient_scope");

        private final int status;
        private final String error;

        Reason(int status, String error) {
            this.status = status;
            this.error = error;
        }

        public int status() {
            return status;
        }

        /** The RFC 6750 error code; none when no token was presented (§3.1). */
        public String error() {
            return error;
        }
    }

    private final Reason reason;
    private final String scope;

    public AdminAuthException(Reason reason, String description, String scope) {
        super(description, null, false, false);
        this.reason = reason;
        this.scope = scope;
    }

    public Reason reason() {
        return reason;
    }

    /** The scope the resource needs, for the challenge's {@code scope} attribute. */
    public String scope() {
        return scope;
    }

    /** The RFC 6750 §3 challenge. */
    public String challenge() {
        return BearerChallenge.of("latchkey-admin", reason.error(), getMessage(),
                reason == Reason.INSUFFICIENT_SCOPE ? scope : null);
    }
}
