package io.latchkey.model.oauth;

import java.util.Objects;

/**
 * The one exception that carries a protocol error. Handlers throw it; one mapper per service writes it
 * in the protocol's format. The description is shown to the client, so it never contains secrets or
 * internals; {@link #getCause()} keeps the debugging detail for the log.
 */
public class OAuthException extends RuntimeException {

    private final OAuthError error;
    private final String description;

    public OAuthException(OAuthError error, String description) {
        this(error, description, null);
    }

    public OAuthException(OAuthError error, String description, Throwable cause) {
        super(error.code() + ": " + description, cause, false, false);
        this.error = Objects.requireNonNull(error);
        this.description = description;
    }

    public OAuthError error() {
        return error;
    }

    public String description() {
        return description;
    }

    /**
     * Turns any failure into the error a client may see: protocol errors pass through, a failure that knows
     * its protocol error (a store's: {@code temporarily_unavailable} or {@code server_error}) becomes that one,
     * anything else is a {@code server_error} whose detail stays in the cause.
     */
    public static OAuthException from(Throwable failure) {
        if (failure instanceof OAuthException oauth) {
            return oauth;
        }
        if (failure instanceof ClientFacingFailure known) {
            return known.toOAuth();
        }
        return new OAuthException(OAuthError.SERVER_ERROR, "The server could not complete the request.", failure);
    }
}
