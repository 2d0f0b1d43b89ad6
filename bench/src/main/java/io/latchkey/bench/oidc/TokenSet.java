package io.latchkey.bench.oidc;

/** The tokens of a successful token response; idToken and refreshToken may be null where none is due. */
public record TokenSet(String accessToken, String idToken, String refreshToken) {
}
