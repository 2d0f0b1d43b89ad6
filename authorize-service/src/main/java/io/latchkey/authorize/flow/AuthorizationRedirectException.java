package io.latchkey.authorize.flow;

import io.latchkey.model.oauth.OAuthException;

/**
 * An error of an authorization request whose client and redirect_uri are proven, so it goes back to the
 * client (RFC 6749 §4.1.2.1) instead of onto a page.
 */
public final class AuthorizationRedirectException extends RuntimeException {

    private final ResponseTarget target;
    private final OAuthException error;

    public AuthorizationRedirectException(ResponseTarget target, OAuthException error) {
        super(error.getMessage(), error, false, false);
        this.target = target;
        this.error = error;
    }

    public ResponseTarget target() {
        return target;
    }

    public OAuthException error() {
        return error;
    }
}
