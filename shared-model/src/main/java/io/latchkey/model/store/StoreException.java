package io.latchkey.model.store;

import io.latchkey.model.oauth.ClientFacingFailure;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;

/**
 * A failure of the state layer, typed so that callers can answer the client correctly: Redis out of reach
 * is {@code temporarily_unavailable} (the client may retry), an unreadable record is a {@code server_error}.
 */
public final class StoreException extends RuntimeException implements ClientFacingFailure {

    public enum Kind {
        /** Redis or PostgreSQL could not be reached or did not answer in time. */
        UNAVAILABLE,
        /** A record exists but cannot be read: corrupt, or written by an incompatible version. */
        CORRUPT
    }

    private final Kind kind;

    private StoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public static StoreException unavailable(Throwable cause) {
        return new StoreException(Kind.UNAVAILABLE, "Redis is unavailable: " + cause, cause);
    }

    public static StoreException directoryUnavailable(Throwable cause) {
        return new StoreException(Kind.UNAVAILABLE, "PostgreSQL is unavailable: " + cause, cause);
    }

    public static StoreException corrupt(String key, Throwable cause) {
        return new StoreException(Kind.CORRUPT, "Unreadable record at " + key + ": " + cause.getMessage(), cause);
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public OAuthException toOAuth() {
        return switch (kind) {
            case UNAVAILABLE -> new OAuthException(OAuthError.TEMPORARILY_UNAVAILABLE,
                    "The service is temporarily unavailable; retry shortly.", this);
            case CORRUPT -> new OAuthException(OAuthError.SERVER_ERROR,
                    "The server could not read its stored state.", this);
        };
    }
}
