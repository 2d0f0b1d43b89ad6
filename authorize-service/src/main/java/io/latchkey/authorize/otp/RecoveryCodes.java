package io.latchkey.authorize.otp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Single-use recovery codes for a lost authenticator: ten of them, each 80 random bits shown as 16 characters of
 * Crockford's Base32 in four groups ({@code 7QK2-M9XD-0RTB-4HWE}). Crockford's alphabet has no I, L, O or U, so a
 * code read aloud or typed from paper is forgiving: case, spaces, hyphens and the look-alikes I/L (for 1) and O
 * (for 0) are normalised away. Only the SHA-256 of the canonical form is stored: 80 random bits cannot be guessed
 * from a digest, so no slow password hash is needed.
 */
public final class RecoveryCodes {

    public static final int COUNT = 10;
    private static final int BYTES = 10;
    private static final int LENGTH = 16;
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private RecoveryCodes() {
    }

    /** Ten distinct new codes, as shown to the person. */
    public static List<String> generate() {
        Set<String> codes = new LinkedHashSet<>();
        while (codes.size() < COUNT) {
            byte[] bits = new byte[BYTES];
            RANDOM.nextBytes(bits);
            codes.add(Base32.group(Base32.encode(bits, CROCKFORD), '-'));
        }
        return List.copyOf(codes);
    }

    /** Whether the input has a recovery code's form, before any check. */
    public static boolean looksLikeCode(String input) {
        return canonical(input).isPresent();
    }

    /** SHA-256 of the canonical form of a typed code; empty when it is not 16 Crockford characters. */
    public static Optional<byte[]> digest(String input) {
        return canonical(input).map(code -> {
            try {
                return MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.US_ASCII));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is not available", e);
            }
        });
    }

    static Optional<String> canonical(String input) {
        if (input == null || input.length() > 64) {
            return Optional.empty();
        }
        StringBuilder code = new StringBuilder(LENGTH);
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            if (c == '-' || c == ' ') {
                continue;
            }
            c = switch (c) {
                case 'i', 'I', 'l', 'L' -> '1';
                case 'o', 'O' -> '0';
                default -> c >= 'a' && c <= 'z' ? (char) (c - 'a' + 'A') : c;
            };
            if (!isCrockford(c)) {
                return Optional.empty();
            }
            code.append(c);
        }
        return code.length() == LENGTH ? Optional.of(code.toString()) : Optional.empty();
    }

    private static boolean isCrockford(char c) {
        for (char allowed : CROCKFORD) {
            if (c == allowed) {
                return true;
            }
        }
        return false;
    }
}
