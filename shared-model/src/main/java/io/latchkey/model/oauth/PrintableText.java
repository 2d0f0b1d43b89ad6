package io.latchkey.model.oauth;

/**
 * Text from a request quoted back in an {@code error_description}. RFC 6749 §4.1.2.1 and §5.2 allow only
 * %x20-21 / %x23-5B / %x5D-7E there, and RFC 6750 §3 the same inside the quoted challenge: no quote, no
 * backslash, nothing outside printable ASCII. Anything else becomes {@code ?}.
 */
public final class PrintableText {

    /** Enough to recognise a value; a longer one is cut. */
    private static final int MAX_QUOTED = 40;

    private PrintableText() {
    }

    /** The text with every character outside the error_description set replaced by {@code ?}. */
    public static String of(String text) {
        StringBuilder clean = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            clean.append(allowed(c) ? c : '?');
        }
        return clean.toString();
    }

    /** A request value quoted into a description: cut to 40 characters, cleaned, in single quotes. */
    public static String quoted(String value) {
        String cut = value.length() > MAX_QUOTED ? value.substring(0, MAX_QUOTED) : value;
        return "'" + of(cut).replace('\'', '?') + "'";
    }

    private static boolean allowed(char c) {
        return c >= 0x20 && c <= 0x7E && c != '"' && c != '\\';
    }
}
