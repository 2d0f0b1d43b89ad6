package io.latchkey.token.issue;

/**
 * Signed tokens of one response.
 *
 * @param expiresIn lifetime of the access token in seconds (RFC 6749 §5.1 expires_in)
 * @param idToken   null when the grant has no openid scope
 */
public record IssuedTokens(String accessToken, long expiresIn, String idToken, String scope) {
}
