package io.latchkey.token.web;

import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;

/**
 * An error of a resource protected by an access token (/userinfo). The mapper answers it with the
 * RFC 6750 §3 challenge in {@code WWW-Authenticate} instead of the RFC 6749 client challenge, or, for a request
 * that used DPoP or a DPoP-bound token, with the DPoP challenge of RFC 9449 §7.1.
 */
public final class BearerTokenException extends OAuthException {

    private final boolean tokenPresented;
    private final boolean dpopScheme;

    private BearerTokenException(OAuthError error, String description, boolean tokenPresented, boolean dpopScheme) {
        super(error, description);
        this.tokenPresented = tokenPresented;
        this.dpopScheme = dpopScheme;
    }

    /** RFC 6750 §3.1: a request without any token gets the challenge without an error code. */
    public static BearerTokenException missing() {
        return new BearerTokenException(OAuthError.INVALID_TOKEN, "A bearer access token is required.", false, false);
    }

    public static BearerTokenException invalid(String description) {
        return new BearerTokenException(OAuthError.INVALID_TOKEN, description, true, false);
    }

    public static BearerTokenException insufficientScope(String description) {
        return new BearerTokenException(OAuthError.INSUFFICIENT_SCOPE, description, true, false);
    }

    public static BearerTokenException invalidRequest(String description) {
        return new BearerTokenException(OAuthError.INVALID_REQUEST, description, true, false);
    }

    /** An error answered with the DPoP challenge (RFC 9449 §7.1): invalid_token, invalid_dpop_proof, or any other. */
    public static BearerTokenException dpop(OAuthError error, String description) {
        return new BearerTokenException(error, description, true, true);
    }

    public boolean tokenPresented() {
        return tokenPresented;
    }

    public boolean dpopScheme() {
        return dpopScheme;
    }

    /** RFC 9449 §7.1, §9: a refused proof at a protected resource is a 401 with the challenge, not the token endpoint's 400. */
    public int status() {
        return error() == OAuthError.INVALID_DPOP_PROOF || error() == OAuthError.USE_DPOP_NONCE ? 401 : error().status();
    }
}
