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
}
