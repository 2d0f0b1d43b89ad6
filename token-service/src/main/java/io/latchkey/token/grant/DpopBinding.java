package io.latchkey.token.grant;

import java.util.Optional;

/**
 * The DPoP key a token request proved it holds (RFC 9449 §5), as the token endpoint verified it: its JWK SHA-256
 * thumbprint, or none for a request without a proof.
 */
public record DpopBinding(Optional<String> jkt) {

    public static final DpopBinding NONE = new DpopBinding(Optional.empty());

    public DpopBinding {
        jkt = jkt == null ? Optional.empty() : jkt;
    }

    public static DpopBinding of(String jkt) {
        return new DpopBinding(Optional.of(jkt));
    }
}
