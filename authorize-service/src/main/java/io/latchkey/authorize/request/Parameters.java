package io.latchkey.authorize.request;

import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of a query string or an {@code application/x-www-form-urlencoded} body, decoded
 * strictly: malformed percent-encoding and bytes that are not UTF-8 are refused instead of replaced, and a
 * repeated name is kept with all its values so that the checks can refuse it (RFC 6749 §3.1: "Request and
 * response parameters MUST NOT be included more than once").
 */
public final class Parameters {

    /** The whole query or form body; anything longer is refused before it is decoded. */
    public static final int MAX_TOTAL_LENGTH = 8192;

    private final Map<String, List<String>> values;

    private Parameters(Map<String, List<String>> values) {
        this.values = values;
    }

    public static Parameters empty() {
        return new Parameters(Map.of());
    }

    /** Decodes an {@code application/x-www-form-urlencoded} body, which must be UTF-8. */
    public static Parameters parseBody(byte[] body) {
        if (body == null || body.length == 0) {
            return empty();
        }
        if (body.length > MAX_TOTAL_LENGTH) {
            throw invalid("The request is too large (more than " + MAX_TOTAL_LENGTH + " characters of parameters).");
        }
        try {
            return parse(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString());
        } catch (CharacterCodingException e) {
            throw invalid("The request parameters are not valid UTF-8.");
        }
    }

    /** Decodes a raw (still percent-encoded) query or form body; null is no parameters. */
    public static Parameters parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            return empty();
        }
        if (raw.length() > MAX_TOTAL_LENGTH) {
            throw invalid("The request is too large (more than " + MAX_TOTAL_LENGTH + " characters of parameters).");
        }
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
        return new Parameters(values);
    }

    /**
     * The single value of a parameter; empty when absent or sent empty (OAuth 2.1 §1.4: "Parameters sent
     * without a value MUST be treated as if they were omitted").
     */
    public Optional<String> single(String name) {
        List<String> v = values.get(name);
        if (v == null || v.isEmpty() || v.get(0).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(v.get(0));
    }

    public boolean repeated(String name) {
        List<String> v = values.get(name);
        return v != null && v.size() > 1;
    }

    /** The first repeated parameter name, if any. */
    public Optional<String> firstRepeated() {
        return values.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).findFirst();
    }

    public int length(String name) {
        List<String> v = values.get(name);
        return v == null ? 0 : v.stream().mapToInt(String::length).max().orElse(0);
    }

    public boolean has(String name) {
        return single(name).isPresent();
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
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return requireText(chars.toString());
        } catch (CharacterCodingException e) {
            throw invalid("The request parameters are not valid UTF-8.");
        }
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

    private static OAuthException invalid(String description) {
        return new OAuthException(OAuthError.INVALID_REQUEST, description);
    }
}
