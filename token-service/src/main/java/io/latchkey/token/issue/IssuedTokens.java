package io.latchkey.token.issue;

/**
 * Signed tokens of one response.
 *
 * @param expiresIn lifetime of the access token in seconds (RFC 6749 §5.1 expires_in)
 * @param idToken   null when the grant has no openid scope
 * @param tokenType RFC 6749 §7.1: {@code Bearer}, or {@code DPoP} for an access token bound to a key (RFC 9449 §5)
 */
public record IssuedTokens(String accessToken, long expiresIn, String idToken, String scope, String tokenType) {
}
