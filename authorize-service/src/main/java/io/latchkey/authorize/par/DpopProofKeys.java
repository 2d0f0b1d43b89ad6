package io.latchkey.authorize.par;

import io.smallrye.mutiny.Uni;

/**
 * The key a DPoP proof sent with a pushed authorization request proves (RFC 9449 §10.1): the code of that request
 * is bound to it, as by {@code dpop_jkt}. A bean of this type that verifies proofs replaces
 * {@link UnverifiedDpopProofs}, which refuses every proof.
 */
public interface DpopProofKeys {

    /**
     * The JWK SHA-256 thumbprint (RFC 7638) of the proof's key, once the proof is verified for this method and URL
     * (RFC 9449 §4.3); fails with an {@code invalid_dpop_proof} OAuthException otherwise.
     *
     * @param proof the DPoP header's value
     */
    Uni<String> thumbprint(String proof, String method, String url);
}
