package io.latchkey.model.token;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A verified access token's claims (RFC 9068 §2.2).
 *
 * @param family the grant family it was issued from, when it has one (see AccessTokenRules#FAMILY_CLAIM)
 */
public record AccessToken(
        String jti,
        String subject,
        String clientId,
        List<String> scopes,
        long issuedAt,
        long expiresAt,
        Optional<String> family,
        Map<String, Object> claims) {

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    /**
     * The JWK SHA-256 thumbprint of the DPoP key the token is bound to ({@code cnf.jkt}, RFC 9449 §6.1), if it is: such a
     * token is used only with a proof of that key (§7.1), never as a bearer token (§7.2).
     */
    public Optional<String> dpopJkt() {
        return claims.get("cnf") instanceof Map<?, ?> cnf && cnf.get("jkt") instanceof String jkt ? Optional.of(jkt) : Optional.empty();
    }
}
