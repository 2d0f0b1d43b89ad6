package io.latchkey.model.pkce;

import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Proof Key for Code Exchange (RFC 7636), S256 only.
 */
public final class Pkce {

    /** The only method Latchkey accepts; RFC 9700 §2.1.1 and OAuth 2.1 rule out {@code plain}. */
    public static final String S256 = "S256";

    /**
     * RFC 7636 §4.1: code-verifier = 43*128unreserved, unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~".
     * §4.2 gives the challenge the same syntax.
     */
    private static final Pattern SYNTAX = Pattern.compile("[A-Za-z0-9\\-._~]{43,128}");

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private Pkce() {
    }

    public static boolean isWellFormed(String verifierOrChallenge) {
        return verifierOrChallenge != null && SYNTAX.matcher(verifierOrChallenge).matches();
    }

    /**
     * Checks the parameters of an authorization request. The request is refused unless it names S256
     * (RFC 7636 §4.3 lets a missing method default to plain, which Latchkey does not support).
     */
    public static void requireValidChallenge(String challenge, String method) {
        if (challenge == null || challenge.isEmpty()) {
            throw OAuthError.INVALID_REQUEST.withDescription("code_challenge is required (PKCE, RFC 7636).");
        }
        if (method == null || method.isEmpty()) {
            throw OAuthError.INVALID_REQUEST.withDescription(
                    "code_challenge_method is required and must be S256; plain is not supported.");
        }
        if (!S256.equals(method)) {
            throw OAuthError.INVALID_REQUEST.withDescription(
                    "code_challenge_method must be S256; plain is not supported.");
        }
        // An S256 challenge is BASE64URL of 32 bytes: exactly 43 characters of the unreserved set.
        if (challenge.length() != 43 || !isWellFormed(challenge)) {
            throw OAuthError.INVALID_REQUEST.withDescription("code_challenge is not a valid S256 challenge.");
        }
    }

    /** Checks the syntax of a code_verifier at the token endpoint (RFC 7636 §4.1). */
    public static void requireValidVerifier(String verifier) {
        if (verifier == null || verifier.isEmpty()) {
            throw OAuthError.INVALID_REQUEST.withDescription("code_verifier is required.");
        }
        if (!isWellFormed(verifier)) {
            throw OAuthError.INVALID_REQUEST.withDescription(
                    "code_verifier must be 43 to 128 characters of [A-Z] / [a-z] / [0-9] / \"-\" / \".\" / \"_\" / \"~\".");
        }
    }

    /** RFC 7636 §4.2: code_challenge = BASE64URL-ENCODE(SHA256(ASCII(code_verifier))). */
    public static String s256(String verifier) {
        return BASE64URL.encodeToString(sha256(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * RFC 7636 §4.6: the server recomputes the challenge from the verifier and compares. The comparison
     * takes the same time wherever the strings first differ.
     */
    public static boolean matches(String verifier, String challenge) {
        if (!isWellFormed(verifier) || challenge == null) {
            return false;
        }
        return MessageDigest.isEqual(
                s256(verifier).getBytes(StandardCharsets.US_ASCII),
                challenge.getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
