package io.latchkey.model.client;

import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.password.PasswordHasher;
import io.latchkey.model.password.PasswordWorkers;
import io.latchkey.model.token.OpaqueToken;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Checks client secrets against their stored hash. A check costs ~50 ms of CPU and 19 MiB (Argon2id), so it
 * runs on the bounded {@link PasswordWorkers}, never an event loop; concurrent checks of the same secret
 * share one hash, and a successful check is remembered: client_credentials and
 * confidential code exchanges present the same secret again and again. The memory key binds the client,
 * the SHA-256 of the presented secret and the stored hash, so a rotated secret is checked afresh; only
 * successes are remembered, so a wrong secret always pays the full price.
 */
@ApplicationScoped
public class SecretVerifier {

    @ConfigMapping(prefix = "latchkey.client-secrets")
    public interface Config {
        /** How many successful client-secret checks are remembered (each check costs ~50 ms of CPU). */
        @WithDefault("1024")
        int cacheSize();
    }

    private final PasswordHasher hasher;
    private final PasswordWorkers workers;
    private final Map<String, Boolean> verified;
    private final Map<String, Uni<Boolean>> checking = new ConcurrentHashMap<>();

    @Inject
    public SecretVerifier(PasswordHasher hasher, PasswordWorkers workers, Config config) {
        this(hasher, workers, config.cacheSize());
    }

    SecretVerifier(PasswordHasher hasher, PasswordWorkers workers, int capacity) {
        this.hasher = hasher;
        this.workers = workers;
        this.verified = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        });
    }

    public Uni<Boolean> verify(ClientRegistration client, String presentedSecret) {
        if (client.secretHash() == null) {
            return verifyWithoutClient(client.clientId(), presentedSecret);
        }
        String key = OpaqueToken.sha256(client.clientId() + '\n' + OpaqueToken.sha256(presentedSecret) + '\n' + client.secretHash());
        if (verified.containsKey(key)) {
            return Uni.createFrom().item(true);
        }
        return check(key, () -> hasher.verify(presentedSecret.toCharArray(), client.secretHash()));
    }

    /**
     * A secret presented for a client id that has none (unknown, or a public client): it never matches, but
     * it costs what a wrong secret costs, one hash on the same bounded threads, so neither the answer's time
     * nor a 503 from a full queue tells a registered confidential client from anything else. A burst of one
     * id and one secret shares one hash, as a burst of one wrong secret does; so a flood of made-up ids costs
     * no more than a flood of wrong secrets.
     */
    public Uni<Boolean> verifyWithoutClient(String clientId, String presentedSecret) {
        String key = OpaqueToken.sha256(clientId + '\n' + OpaqueToken.sha256(presentedSecret) + '\n' + "no client");
        return check(key, () -> hasher.verifyAgainstNobody(presentedSecret.toCharArray()));
    }

    private Uni<Boolean> check(String key, Supplier<Boolean> hash) {
        // A burst of requests with one secret, before the first check is remembered, waits for that check.
        return checking.computeIfAbsent(key, k -> workers.run(hash)
                .invoke(ok -> {
                    if (ok) {
                        verified.put(k, Boolean.TRUE);
                    }
                })
                // A statement, not an expression: eventually(() -> uni) would wait for the removed Uni, itself.
                .eventually(() -> {
                    checking.remove(k);
                })
                .memoize().indefinitely());
    }
}
