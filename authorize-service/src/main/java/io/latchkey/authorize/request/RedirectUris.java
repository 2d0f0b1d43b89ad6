package io.latchkey.authorize.request;

import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.domain.RedirectUri;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which redirect URIs a client may use. RFC 9700 §4.1.3 asks for exact string matching; the one exception
 * is the loopback interface redirect of a native app (RFC 8252 §7.3), whose port is chosen at run time:
 * {@code http://127.0.0.1:{any}/path} and {@code http://[::1]:{any}/path} match their registration with
 * any port. The leeway is for clients registered as {@code native} only: a web client (a browser SPA
 * served from a loopback address during development) listens on one fixed port, and any other port of the
 * user's machine may belong to another program, which {@code prompt=none} would hand the SPA's code.
 * {@code localhost} gets no leeway (RFC 8252 §8.3 advises against it). Private-use schemes such as
 * {@code com.example.app:/cb} (RFC 8252 §7.1) are matched exactly. A port of 0 or above 65535 is never a
 * listener's and is refused even when registered.
 */
public final class RedirectUris {

    private static final Set<String> LOOPBACK_IPS = Set.of("127.0.0.1", "[::1]");

    private RedirectUris() {
    }

    public static boolean isRegistered(ClientRegistration client, String requested) {
        Optional<URI> parsed = RedirectUri.parse(requested);
        if (parsed.isPresent() && !RedirectUri.hasUsableAuthority(parsed.get())) {
            return false;
        }
        if (client.redirectUris().contains(requested)) {
            return true;
        }
        if (!client.isNative() || parsed.isEmpty() || !isLoopbackIp(parsed.get())) {
            return false;
        }
        URI asked = parsed.get();
        return client.redirectUris().stream().map(RedirectUri::parse).flatMap(Optional::stream)
                .filter(RedirectUris::isLoopbackIp)
                .anyMatch(registered -> Objects.equals(registered.getHost(), asked.getHost())
                        && Objects.equals(registered.getRawPath(), asked.getRawPath())
                        && Objects.equals(registered.getRawQuery(), asked.getRawQuery())
                        && asked.getRawUserInfo() == null && asked.getRawFragment() == null);
    }

    private static boolean isLoopbackIp(URI uri) {
        return "http".equals(uri.getScheme()) && uri.getHost() != null && LOOPBACK_IPS.contains(uri.getHost());
    }
}
