package io.latchkey.authorize.browser;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The client address that per-address limits key on. Behind a trusted proxy Quarkus has already replaced the
 * peer with the forwarded client ({@code quarkus.http.proxy.*}, docs/authorize-leg.md); from anyone else the
 * forwarding headers are ignored. An IPv6 client is keyed by its /64, the block one subscriber gets (RFC 6177),
 * so that walking through the addresses of one's own prefix does not buy a fresh budget each time.
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String of(HttpServerRequest http) {
        SocketAddress peer = http.remoteAddress();
        String host = peer == null ? null : peer.hostAddress();
        if (host == null || host.isEmpty()) {
            return "unknown";
        }
        if (!host.contains(":")) {
            return host;
        }
        try {
            // A literal, never a name: no lookup happens.
            byte[] bytes = InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host).getAddress();
            if (bytes.length != 16) {
                return InetAddress.getByAddress(bytes).getHostAddress();
            }
            for (int i = 8; i < 16; i++) {
                bytes[i] = 0;
            }
            return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
