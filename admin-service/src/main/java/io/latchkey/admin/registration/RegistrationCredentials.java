package io.latchkey.admin.registration;

import io.latchkey.model.token.OpaqueToken;
import java.security.MessageDigest;

/**
 * The random values a registration hands out: the client id, the client secret and the registration access token,
 * each base64url of fresh SecureRandom bytes, so none can be guessed or derived from another. A registration access
 * token is kept only as its SHA-256 (it is random and long, so a slow hash adds nothing) and compared in constant
 * time.
 */
final class RegistrationCredentials {

    /** Compared when there is no stored hash, so an unknown client costs what a wrong token costs. */
    private static final byte[] NOTHING = new byte[32];

    private RegistrationCredentials() {
    }

    /** 144 bits: unguessable, and short enough to type. */
    static String clientId() {
        return OpaqueToken.randomId(18);
    }

    /** 256 bits (RFC 6749 §10.10 asks for secrets no one can guess). */
    static String clientSecret() {
        return OpaqueToken.randomId(32);
    }

    static String accessToken() {
        return OpaqueToken.randomId(32);
    }

    static byte[] hash(String token) {
        return OpaqueToken.sha256Digest(token);
    }

    /** Whether the presented token is the one whose hash is stored; null stored never matches. */
    static boolean matches(String presented, byte[] storedHash) {
        boolean known = storedHash != null;
        return MessageDigest.isEqual(hash(presented), known ? storedHash : NOTHING) && known;
    }
}
