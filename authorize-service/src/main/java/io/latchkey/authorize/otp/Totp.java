package io.latchkey.authorize.otp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * TOTP (RFC 6238) as authenticator apps compute it by default: HMAC-SHA-1, 6 digits, 30-second steps counted from
 * the Unix epoch (T0 = 0). Secrets are 20 random bytes, the HMAC-SHA-1 output length (RFC 4226 §4 R6).
 */
public final class Totp {

    public static final int DIGITS = 6;
    public static final long PERIOD_SECONDS = 30;
    static final int SECRET_BYTES = 20;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MODULUS = 1_000_000;

    private Totp() {
    }

    public static byte[] newSecret() {
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return secret;
    }

    /** The time step T of RFC 6238 §4.2 at {@code t}. */
    public static long step(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), PERIOD_SECONDS);
    }

    /** The 6-digit code of {@code step}: HOTP (RFC 4226 §5.3) with the step as counter. */
    public static String code(byte[] secret, long step) {
        byte[] hash;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            hash = mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(step).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available", e);
        }
        // Dynamic truncation, RFC 4226 §5.3.
        int offset = hash[hash.length - 1] & 0x0f;
        int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
        String digits = Integer.toString(binary % MODULUS);
        return "0".repeat(DIGITS - digits.length()) + digits;
    }

    /**
     * The step whose code {@code code} is, among the step of {@code now} and one step either side (RFC 6238 §5.2:
     * at most one step of network delay and clock drift); empty when none matches or the input is not exactly six
     * ASCII digits once spaces are removed (apps show "123 456"). All three steps are compared, each in constant
     * time, so the timing tells nothing about which one matched or how much of a wrong code was right.
     */
    public static OptionalLong matchingStep(byte[] secret, String code, Instant now) {
        String digits = normalise(code);
        if (digits == null) {
            return OptionalLong.empty();
        }
        byte[] given = digits.getBytes(StandardCharsets.US_ASCII);
        long current = step(now);
        long found = Long.MIN_VALUE;
        for (long step = current - 1; step <= current + 1; step++) {
            boolean equal = MessageDigest.isEqual(code(secret, step).getBytes(StandardCharsets.US_ASCII), given);
            if (equal) {
                found = step;
            }
        }
        return found == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(found);
    }

    /** Whether the input is a TOTP code by its form (six ASCII digits, spaces aside), before any check. */
    public static boolean looksLikeCode(String input) {
        return normalise(input) != null;
    }

    private static String normalise(String input) {
        if (input == null || input.length() > 32) {
            return null;
        }
        String digits = input.replace(" ", "");
        if (digits.length() != DIGITS) {
            return null;
        }
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        return digits;
    }

    /**
     * The enrolment URI an authenticator app scans, in Google Authenticator's Key Uri Format:
     * {@code otpauth://totp/Issuer:account?secret=BASE32&issuer=Issuer&algorithm=SHA1&digits=6&period=30}. Issuer
     * and account are percent-encoded (a colon in either would otherwise split the label elsewhere).
     */
    public static String otpauthUri(String issuer, String accountName, byte[] secret) {
        String encodedIssuer = percentEncode(issuer);
        return "otpauth://totp/" + encodedIssuer + ":" + percentEncode(accountName)
                + "?secret=" + Base32.encode(secret)
                + "&issuer=" + encodedIssuer
                + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + PERIOD_SECONDS;
    }

    /** RFC 3986 §2.1: every octet of the UTF-8 form but the unreserved characters (§2.3) as %XX. */
    static String percentEncode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
