package io.latchkey.model.dpop;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The comparison form of an {@code htu} (RFC 9449 §4.3): query and fragment dropped (§4.2), then RFC 3986 §6.2.2
 * syntax-based normalisation (scheme and host in lower case, percent-encodings in upper case and unreserved ones
 * decoded, dot segments removed) and §6.2.3 scheme-based normalisation (the default port and an empty path).
 */
final class HttpUris {

    private HttpUris() {
    }

    /** The normalised URL, or empty when it is not an absolute http(s) URL with a host and without userinfo. */
    static Optional<String> normalize(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (uri.getScheme() == null || uri.getHost() == null || uri.getRawUserInfo() != null) {
            // RFC 9110 §4.2.4: userinfo in an http(s) URI is an error to be treated as such.
            return Optional.empty();
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int defaultPort = switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default -> 0;
        };
        if (defaultPort == 0) {
            return Optional.empty();
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return percentNormalized(path).map(p -> scheme + "://" + host + (port == -1 || port == defaultPort ? "" : ":" + port)
                + removeDotSegments(p));
    }

    /** RFC 3986 §6.2.2.2: hex digits in upper case, unreserved characters decoded; empty for a broken escape. */
    private static Optional<String> percentNormalized(String path) {
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i + 2 >= path.length() || Character.digit(path.charAt(i + 1), 16) < 0 || Character.digit(path.charAt(i + 2), 16) < 0) {
                return Optional.empty();
            }
            char decoded = (char) (Character.digit(path.charAt(i + 1), 16) * 16 + Character.digit(path.charAt(i + 2), 16));
            if (unreserved(decoded)) {
                out.append(decoded);
            } else {
                out.append('%').append(path.substring(i + 1, i + 3).toUpperCase(Locale.ROOT));
            }
            i += 2;
        }
        return Optional.of(out.toString());
    }

    private static boolean unreserved(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    }

    /** RFC 3986 §5.2.4 for an absolute path. */
    private static String removeDotSegments(String path) {
        String[] segments = path.substring(1).split("/", -1);
        List<String> out = new ArrayList<>(segments.length);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.equals(".") || segment.equals("..")) {
                if (segment.equals("..") && !out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
                if (i == segments.length - 1) {
                    out.add("");
                }
            } else {
                out.add(segment);
            }
        }
        return "/" + String.join("/", out);
    }
}
