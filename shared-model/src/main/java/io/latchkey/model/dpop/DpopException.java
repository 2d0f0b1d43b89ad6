package io.latchkey.model.dpop;

import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import java.util.Optional;

/**
 * A refused DPoP proof: {@code invalid_dpop_proof}, or {@code use_dpop_nonce} with the nonce to retry with, which
 * the service's mapper sends in {@code DPoP-Nonce} (RFC 9449 §8). Only that error carries a nonce: a client such as
 * oidc-client-ts retries any error that comes with one.
 */
public final class DpopException extends OAuthException {

    private final String nonce;

    private DpopException(OAuthError error, String description, String nonce) {
        super(error, description);
        this.nonce = nonce;
    }

    public static DpopException invalid(String description) {
        return new DpopException(OAuthError.INVALID_DPOP_PROOF, description, null);
    }

    public static DpopException useNonce(String nonce, String description) {
        return new DpopException(OAuthError.USE_DPOP_NONCE, description, nonce);
    }

    /** The nonce to send in {@code DPoP-Nonce}, with use_dpop_nonce only. */
    public Optional<String> nonce() {
        return Optional.ofNullable(nonce);
    }
}
