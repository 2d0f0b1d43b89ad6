package io.latchkey.authorize.par;

import io.latchkey.authorize.flow.AuthorizationRedirectException;
import io.latchkey.model.oauth.OAuthException;

/**
 * An error of the pushed authorization request endpoint: answered to the client in JSON (RFC 9126 §2.3, the error
 * response of RFC 6749 §5.2), never by redirect or on a page, whatever the same error would be at /authorize.
 */
public final class PushedRequestException extends RuntimeException {

    private final OAuthException error;

    private PushedRequestException(OAuthException error) {
        super(error.getMessage(), error, false, false);
        this.error = error;
    }

    /** Any failure of a push, as the protocol error the client is told. */
    public static PushedRequestException of(Throwable failure) {
        if (failure instanceof PushedRequestException done) {
            return done;
        }
        return new PushedRequestException(failure instanceof AuthorizationRedirectException redirect
                ? redirect.error() : OAuthException.from(failure));
    }

    public OAuthException error() {
        return error;
    }
}
