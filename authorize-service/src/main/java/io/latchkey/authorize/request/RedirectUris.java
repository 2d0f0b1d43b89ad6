package io.latchkey.authorize.request;

import io.latchkey.model.domain.ClientRegistration;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.Set;

/**
 * Which redirect URIs a client may use. RFC 9700 §4.1.3 asks for exact string matching; the one exception
 * is the loopback interface redirect of a native app (RFC 8252 §7.3), whose port is chosen at run time:
 * {@code http://127.0.0.1:{any}/path} and {@code http://[::1]:{any}/path} match their registration with
 * any port. {@code localhost} gets no such leeway (RFC 8252 §8.3 advises against it). Private-use schemes
 * such as {@code com.example.app:/cb} (RFC 8252 §7.1) are matched exactly.
 */
public final class RedirectUris {

    private static final Set<String> LOOPBACK_IPS = Set.of("127.0.0.1", "[::1]");

    private RedirectUris() {
    }

    public static boolean isRegistered(ClientRegistration client, String requested) {
        if (client.redirectUris().contains(requested)) {
            return true;
        }
        URI asked = parse(requested);
        if (asked == null || !isLoopbackIp(asked)) {
            return false;
        }
        return client.redirectUris().stream().map(RedirectUris::parse).filter(Objects::nonNull)
                .filter(RedirectUris::isLoopbackIp)
                .anyMatch(registered -> Objects.equals(registered.getHost(), asked.getHost())
                        && Objects.equals(registered.getRawPath(), asked.getRawPath())
                        && Objects.equals(registered.getRawQuery(), asked.getRawQuery())
                        && asked.getRawUserInfo() == null && asked.getRawFragment() == null);
    }

    private static boolean isLoopbackIp(URI uri) {
        return "http".equals(uri.getScheme()) && uri.getHost() != null && LOOPBACK_IPS.contains(uri.getHost());
    }

    private static URI parse(String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
