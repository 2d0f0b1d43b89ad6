package io.latchkey.token.web;

import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of a POST to a token-service endpoint. RFC 6749 §3.2 (and RFC 7009 §2.1, RFC 7662 §2.1):
 * the body is {@code application/x-www-form-urlencoded}; a parameter MUST NOT appear more than once; a
 * parameter without a value is treated as omitted (§3.1); unknown parameters are ignored.
 */
public final class FormBody {

    private static final String FORM = "application/x-www-form-urlencoded";

    private final Map<String, String> parameters;

    private FormBody(Map<String, String> parameters) {
        this.parameters = parameters;
    }

    public static FormBody parse(String contentType, String body, int maxBytes) {
        if (!isForm(contentType)) {
            throw OAuthError.INVALID_REQUEST.withDescription("The request body must be application/x-www-form-urlencoded.");
        }
        String text = body == null ? "" : body;
        if (text.length() > maxBytes) {
            throw OAuthError.INVALID_REQUEST.withDescription("The request body is too large.");
        }
        Map<String, String> parameters = new HashMap<>();
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (parameters.containsKey(name)) {
                throw OAuthError.INVALID_REQUEST.withDescription("Parameter " + printable(name) + " is repeated.");
            }
            parameters.put(name, value);
        }
        return new FormBody(parameters);
    }

    /** The value of a parameter; empty when absent or sent without a value. */
    public Optional<String> get(String name) {
        String value = parameters.get(name);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    public String require(String name) {
        return get(name).orElseThrow(() -> OAuthError.INVALID_REQUEST.withDescription(name + " is required."));
    }

    public static boolean isForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return FORM.equalsIgnoreCase(mediaType);
    }

    private static String decode(String encoded) {
        try {
            return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new OAuthException(OAuthError.INVALID_REQUEST, "The request body is not validly form-encoded.", e);
        }
    }

    /** Parameter names are echoed in errors only when they are short and plain. */
    private static String printable(String name) {
        return name.matches("[A-Za-z0-9_.-]{1,64}") ? name : "(unnamed)";
    }
}
