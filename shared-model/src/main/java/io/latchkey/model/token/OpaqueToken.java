package io.latchkey.model.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An authorization code or refresh token: {@code <family>.<secret>}.
 *
 * <p>The family names the chain of grants that one authorization starts (the code, then each rotated
 * refresh token). It is the Redis hash tag of every key of that chain, so the scripts that redeem a code
 * or rotate a refresh token touch one cluster slot. The secret carries 256 bits from a CSPRNG; only its
 * SHA-256 is stored (docs/architecture.md: a leaked Redis dump holds no usable code or token).
 */
public record OpaqueToken(String family, String value) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    /** 16-byte family + '.' + 32-byte secret, both BASE64URL without padding. */
    private static final Pattern SHAPE = Pattern.compile("([A-Za-z0-9_-]{22})\\.[A-Za-z0-9_-]{43}");

    /** A token that starts a new family (an authorization code). */
    public static OpaqueToken newFamily() {
        return inFamily(randomId(16));
    }

    /** A further token in an existing family (a rotated refresh token). */
    public static OpaqueToken inFamily(String family) {
        return new OpaqueToken(family, family + "." + randomId(32));
    }

    /** Parses what a client presented; anything not of the exact shape is no token of ours. */
    public static Optional<OpaqueToken> parse(String presented) {
        if (presented == null || presented.length() != 66) {
            return Optional.empty();
        }
        var m = SHAPE.matcher(presented);
        return m.matches() ? Optional.of(new OpaqueToken(m.group(1), presented)) : Optional.empty();
    }

    /** The SHA-256 of the whole token, BASE64URL: the only form that is stored. */
    public String hash() {
        return sha256(value);
    }

    public static String sha256(String text) {
        return BASE64URL.encodeToString(sha256Digest(text));
    }

    /** The SHA-256 of the UTF-8 text as bytes, for a store that keeps it as such. */
    public static byte[] sha256Digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    public static String randomId(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return BASE64URL.encodeToString(b);
    }

    @Override
    public String toString() {
        // Never print the secret: records' default toString would put it in logs.
        return "OpaqueToken[family=" + family + "]";
    }
}
