package io.latchkey.model.form;

import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The parameters of a query string or an {@code application/x-www-form-urlencoded} body, for both services,
 * decoded strictly: malformed percent-encoding, bytes that are not UTF-8 and control characters are refused
 * instead of replaced, and a repeated name is kept with all its values so that the caller can refuse it
 * (RFC 6749 §3.1 and §3.2: "Request and response parameters MUST NOT be included more than once"). Every
 * limit counts bytes of UTF-8, never characters: {@code é} is two bytes, as on the wire.
 */
public final class Parameters {

    /** The whole query or form body, in bytes, unless the caller sets its own limit; longer is refused before decoding. */
    public static final int MAX_TOTAL_LENGTH = 8192;

    private static final String FORM = "application/x-www-form-urlencoded";

    private final Map<String, List<String>> values;
    /** The names this view may read; null when it may read any (see {@link #restrictedTo}). */
    private final Set<String> readable;

    private Parameters(Map<String, List<String>> values, Set<String> readable) {
        this.values = values;
        this.readable = readable;
    }

    public static Parameters empty() {
        return new Parameters(Map.of(), null);
    }

    /**
     * Parameters of one value each that were decoded before, such as a pushed authorization request read back from
     * the store (RFC 9126 §4).
     */
    public static Parameters of(Map<String, String> single) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        single.forEach((name, value) -> values.put(name, List.of(value)));
        return new Parameters(values, null);
    }

    /** Decodes an {@code application/x-www-form-urlencoded} body, which must be UTF-8, of at most {@link #MAX_TOTAL_LENGTH} bytes. */
    public static Parameters parseBody(byte[] body) {
        return parseBody(body, MAX_TOTAL_LENGTH);
    }

    /** Decodes a form body of at most {@code maxBytes} bytes. */
    public static Parameters parseBody(byte[] body, int maxBytes) {
        if (body == null || body.length == 0) {
            return empty();
        }
        if (body.length > maxBytes) {
            throw invalid("The request body is too large.");
        }
        try {
            return parsePairs(utf8().decode(ByteBuffer.wrap(body)).toString());
        } catch (CharacterCodingException e) {
            throw invalid("The request parameters are not valid UTF-8.");
        }
    }

    /**
     * Decodes a body that must be a form (RFC 6749 §3.2, RFC 7009 §2.1, RFC 7662 §2.1): any other media type
     * is invalid_request, never 415.
     */
    public static Parameters parseForm(String contentType, byte[] body, int maxBytes) {
        if (!isForm(contentType)) {
            throw invalid("The request body must be " + FORM + ".");
        }
        return parseBody(body, maxBytes);
    }

    /** Decodes a raw (still percent-encoded) query of at most {@link #MAX_TOTAL_LENGTH} bytes; null is no parameters. */
    public static Parameters parse(String raw) {
        return parse(raw, MAX_TOTAL_LENGTH);
    }

    public static Parameters parse(String raw, int maxBytes) {
        if (raw == null || raw.isEmpty()) {
            return empty();
        }
        if (raw.length() > maxBytes || utf8Length(raw) > maxBytes) {
            throw invalid("The request is too large.");
        }
        return parsePairs(raw);
    }

    /** Whether a Content-Type names the form media type, whatever its parameters (charset). */
    public static boolean isForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        return FORM.equalsIgnoreCase((semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim());
    }

    private static Parameters parsePairs(String raw) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            values.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
        }
        return new Parameters(values, null);
    }

    /**
     * A view that may read only the given names: reading any other is a programming error
     * ({@link IllegalStateException}), so a handler's declared parameters are all it can see.
     */
    public Parameters restrictedTo(Collection<String> names) {
        return new Parameters(values, Set.copyOf(names));
    }

    /**
     * The single value of a parameter; empty when absent or sent empty (RFC 6749 §3.1, OAuth 2.1 §1.4:
     * "Parameters sent without a value MUST be treated as if they were omitted").
     */
    public Optional<String> single(String name) {
        List<String> v = valuesOf(name);
        if (v == null || v.isEmpty() || v.get(0).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(v.get(0));
    }

    public boolean repeated(String name) {
        List<String> v = valuesOf(name);
        return v != null && v.size() > 1;
    }

    /** The first repeated parameter name, if any. */
    public Optional<String> firstRepeated() {
        return values.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).findFirst();
    }

    /**
     * Refuses a form or query in which any parameter is repeated (RFC 6749 §3.1: parameters MUST NOT be included more
     * than once): {@code invalid_request} naming it, rather than resolving it one way or another.
     */
    public Parameters requireNoRepeats() {
        firstRepeated().ifPresent(name -> {
            throw new OAuthException(OAuthError.INVALID_REQUEST, name + " is repeated.");
        });
        return this;
    }

    /** The length in bytes of UTF-8 of the parameter's longest value; 0 when absent. */
    public int length(String name) {
        List<String> v = valuesOf(name);
        return v == null ? 0 : v.stream().mapToInt(Parameters::utf8Length).max().orElse(0);
    }

    public boolean has(String name) {
        return single(name).isPresent();
    }

    /** The names sent, in order, each once. */
    public Set<String> names() {
        return values.keySet();
    }

    private List<String> valuesOf(String name) {
        if (readable != null && !readable.contains(name)) {
            throw new IllegalStateException("Parameter " + name + " was not declared.");
        }
        return values.get(name);
    }

    /**
     * One form-urlencoded component decoded as strictly as a whole form: for values that arrive encoded outside
     * a form, such as the id and secret of HTTP Basic client authentication (RFC 6749 §2.3.1).
     */
    public static String decodeComponent(String text) {
        return decode(text);
    }

    private static String decode(String text) {
        if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
            return requireText(text);
        }
        ByteBuffer bytes = ByteBuffer.allocate(text.length() * 3);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+') {
                bytes.put((byte) ' ');
            } else if (c == '%') {
                if (i + 2 >= text.length()) {
                    throw invalid("The request has a malformed percent-encoding.");
                }
                int hi = Character.digit(text.charAt(i + 1), 16);
                int lo = Character.digit(text.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw invalid("The request has a malformed percent-encoding.");
                }
                bytes.put((byte) (hi << 4 | lo));
                i += 2;
            } else if (c < 0x80) {
                bytes.put((byte) c);
            } else {
                bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        bytes.flip();
        try {
            return requireText(utf8().decode(bytes).toString());
        } catch (CharacterCodingException e) {
            throw invalid("The request parameters are not valid UTF-8.");
        }
    }

    /** A decoder that refuses what is not UTF-8 instead of replacing it with U+FFFD. */
    private static CharsetDecoder utf8() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /** Control characters have no place in any OAuth parameter and would corrupt pages and logs. */
    private static String requireText(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !validSurrogate(text, i)) {
                throw invalid("The request parameters contain control characters.");
            }
        }
        return text;
    }

    private static boolean validSurrogate(String text, int i) {
        return Character.isHighSurrogate(text.charAt(i)) ? i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }

    /** Bytes of the UTF-8 encoding of well-formed text (every string here passed {@link #requireText}). */
    static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static OAuthException invalid(String description) {
        return new OAuthException(OAuthError.INVALID_REQUEST, description);
    }
}
