package io.latchkey.model.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The syntax rules a redirect URI must meet wherever one is registered or requested. An http(s) URI must
 * have a host and, if it names a port, a port a listener can bind: 1 to 65535. {@code java.net.URI} takes
 * any number of digits (RFC 3986 §3.2.3 sets no bound) and 0 means "any free port" to a socket, so neither
 * can be a real endpoint; both are refused rather than compared.
 */
public final class RedirectUri {

    public static final int MAX_PORT = 65535;

    private RedirectUri() {
    }

    /** The URI, or empty when it does not parse. */
    public static Optional<URI> parse(String text) {
        try {
            return Optional.of(new URI(text));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether an http(s) URI names its host and a usable port (absent, or 1..65535). Other schemes
     * (private-use schemes of native apps, RFC 8252 §7.1) have no port to check.
     */
    public static boolean hasUsableAuthority(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return true;
        }
        // A port past int's range makes URI fall back to a registry-based authority: no host.
        return uri.getHost() != null && (uri.getPort() == -1 || (uri.getPort() >= 1 && uri.getPort() <= MAX_PORT));
    }

    /** The web origin (scheme://host[:port], lower case) of an http(s) URI: what CORS compares. */
    public static Optional<String> originOf(String uri) {
        return parse(uri).flatMap(u -> {
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
                return Optional.empty();
            }
            return Optional.of(scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (u.getPort() == -1 ? "" : ":" + u.getPort()));
        });
    }
}
