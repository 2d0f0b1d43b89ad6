package io.latchkey.token.web;

import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;

/**
 * An error of a resource protected by a bearer token (/userinfo). The mapper answers it with the
 * RFC 6750 §3 challenge in {@code WWW-Authenticate} instead of the RFC 6749 client challenge.
 */
public final class BearerTokenException extends OAuthException {

    private final boolean tokenPresented;

    private BearerTokenException(OAuthError error, String description, boolean tokenPresented) {
        super(error, description);
        this.tokenPresented = tokenPresented;
    }

    /** RFC 6750 §3.1: a request without any token gets the challenge without an error code. */
    public static BearerTokenException missing() {
        return new BearerTokenException(OAuthError.INVALID_TOKEN, "A bearer access token is required.", false);
    }

    public static BearerTokenException invalid(String description) {
        return new BearerTokenException(OAuthError.INVALID_TOKEN, description, true);
    }

    public static BearerTokenException insufficientScope(String description) {
        return new BearerTokenException(OAuthError.INSUFFICIENT_SCOPE, description, true);
    }

    public static BearerTokenException invalidRequest(String description) {
        return new BearerTokenException(OAuthError.INVALID_REQUEST, description, true);
    }

    public boolean tokenPresented() {
        return tokenPresented;
    }
}
