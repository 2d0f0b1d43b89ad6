package io.latchkey.model.dpop;

import java.util.Optional;

/**
 * A DPoP proof that passed every check of RFC 9449 §4.3.
 *
 * @param jkt      the JWK SHA-256 thumbprint of its key (RFC 7638), what tokens are bound to ({@code cnf.jkt}, §6.1)
 * @param jti      its identifier, used once
 * @param issuedAt its {@code iat}, epoch seconds
 * @param nonce    the server nonce it carried, if any
 */
public record DpopProof(String jkt, String jti, long issuedAt, Optional<String> nonce) {
}
