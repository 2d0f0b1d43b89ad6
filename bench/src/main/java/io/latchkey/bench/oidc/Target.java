package io.latchkey.bench.oidc;

import java.util.List;

/**
 * One provider under test and what the scenarios need of its realm: the same clients and users exist in
 * Latchkey's and Keycloak's benchmark realms (bench/realm/).
 *
 * @param es256Client a public client whose tokens are signed ES256, or null to skip that scenario
 */
public record Target(String name, String issuer, String spaClient, String es256Client, String redirectUri,
        String backendClient, String backendSecret, List<String> users, String password) {

    public static final String REDIRECT_URI = "http://localhost:9999/callback";

    /** The clients and users of the realm files under bench/realm/. */
    public static Target benchRealm(String name, String issuer) {
        List<String> users = java.util.stream.IntStream.range(0, 64).mapToObj(i -> "bench-user-" + i).toList();
        return new Target(name, issuer, "bench-spa", "bench-spa-es256", REDIRECT_URI,
                "bench-backend", "bench-backend-secret", users, "bench-password");
    }

    public String user(int index) {
        return users.get(index % users.size());
    }
}
