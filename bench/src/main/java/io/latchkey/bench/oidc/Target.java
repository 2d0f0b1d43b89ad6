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

    /** The users of the realm files under bench/realm/. */
    public static final int BENCH_USERS = 64;

    /** The clients and users of the realm files under bench/realm/. */
    public static Target benchRealm(String name, String issuer) {
        return benchRealm(name, issuer, BENCH_USERS);
    }

    /**
     * The clients of the realm files under bench/realm/ and {@code users} users named as theirs
     * ({@code bench-user-0} …), all with its password: the benchmark realm, or a directory that holds it
     * and more users beside (RealmGenerator).
     */
    public static Target benchRealm(String name, String issuer, int users) {
        List<String> names = new java.util.AbstractList<>() {
            @Override
            public String get(int index) {
                return "bench-user-" + java.util.Objects.checkIndex(index, users);
            }

            @Override
            public int size() {
                return users;
            }
        };
        return new Target(name, issuer, "bench-spa", "bench-spa-es256", REDIRECT_URI,
                "bench-backend", "bench-backend-secret", names, "bench-password");
    }

    public String user(int index) {
        return users.get(Math.floorMod(index, users.size()));
    }

    /**
     * The user of the {@code n}-th login of a run: every user in turn, in an order that jumps across the
     * whole directory (a stride prime to the number of users), so that a large directory is read where it
     * is cold, not on the same few rows.
     */
    public String scatteredUser(long n) {
        int size = users.size();
        // Two primes: the stride is prime to any size that is not a multiple of it.
        long stride = size % 1_000_003 == 0 ? 999_983 : 1_000_003;
        return users.get((int) Math.floorMod(n * stride, (long) size));
    }
}
