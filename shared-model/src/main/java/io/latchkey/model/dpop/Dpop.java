package io.latchkey.model.dpop;

import java.util.List;

/** The names RFC 9449 fixes, and the one list of proof algorithms both services accept and discovery announces. */
public final class Dpop {

    /** The request header that carries a proof (RFC 9449 §4.1). */
    public static final String PROOF_HEADER = "DPoP";
    /** The response header that carries the server's nonce (RFC 9449 §8). */
    public static final String NONCE_HEADER = "DPoP-Nonce";
    /** The token_type of a bound access token and its Authorization scheme (RFC 9449 §5, §7.1). */
    public static final String TOKEN_TYPE = "DPoP";
    /** The typ of a proof (RFC 9449 §4.2, §11.5): a JWT made for another purpose is never a proof. */
    public static final String PROOF_TYPE = "dpop+jwt";

    /**
     * RFC 9449 §4.3 step 5 and §11.6: asymmetric signature algorithms only, never {@code none} nor a MAC; every one of
     * them is verified by jose4j with its key validation (RSA keys of at least 2048 bits, the curve of the algorithm).
     * Discovery lists these as {@code dpop_signing_alg_values_supported} (§5.1) and /userinfo names them in its
     * {@code algs} challenge parameter (§7.1).
     */
    public static final List<String> SIGNING_ALGORITHMS = List.of(
            "ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512", "EdDSA");

    private Dpop() {
    }
}
