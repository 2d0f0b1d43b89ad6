package io.latchkey.authorize;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The service behind a reverse proxy, with forwarded addresses turned on as docs/authorize-leg.md says. */
final class ProxyProfiles {

    private ProxyProfiles() {
    }

    private static Map<String, String> forwarding(String trustedProxies) {
        return Map.of(
                "quarkus.http.proxy.proxy-address-forwarding", "true",
                "quarkus.http.proxy.allow-x-forwarded", "true",
                "quarkus.http.proxy.trusted-proxies", trustedProxies,
                // Small, so that a storm fills an address's slots quickly.
                "latchkey.pending-requests.per-address", Integer.toString(PendingRequestCapTest.PER_ADDRESS));
    }

    /** The tests' requests come from 127.0.0.1, here the trusted proxy. */
    public static class TrustedLoopbackProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return forwarding("127.0.0.1");
        }
    }

    /** Only 192.0.2.1 is trusted; the tests' requests from 127.0.0.1 are a client's own. */
    public static class OtherTrustedProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return forwarding("192.0.2.1");
        }
    }
}
