package io.latchkey.authorize.otp;

/**
 * Base32 (RFC 4648 §6) without padding, as the Key Uri Format's {@code secret} parameter and authenticator apps
 * expect it; also grouped in fours for typing by hand.
 */
public final class Base32 {

    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private Base32() {
    }

    public static String encode(byte[] data) {
        return encode(data, ALPHABET);
    }

    /** Five bits a character, most significant first; the last character is padded with zero bits. */
    static String encode(byte[] data, char[] alphabet) {
        StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(alphabet[(buffer >> (bits - 5)) & 0x1f]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(alphabet[(buffer << (5 - bits)) & 0x1f]);
        }
        return out.toString();
    }

    /** The secret for manual entry: Base32 in groups of four separated by spaces ("JBSW Y3DP ..."). */
    public static String grouped(byte[] data) {
        return group(encode(data), ' ');
    }

    static String group(String text, char separator) {
        StringBuilder out = new StringBuilder(text.length() + text.length() / 4);
        for (int i = 0; i < text.length(); i++) {
            if (i > 0 && i % 4 == 0) {
                out.append(separator);
            }
            out.append(text.charAt(i));
        }
        return out.toString();
    }
}
