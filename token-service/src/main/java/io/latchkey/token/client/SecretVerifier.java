package io.latchkey.token.client;

import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.password.PasswordHasher;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.token.TokenServiceConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks client secrets against their stored hash. A check costs ~50 ms of CPU (Argon2id), so it runs on
 * a worker thread, never an event loop, and a successful check is remembered: client_credentials and
 * confidential code exchanges present the same secret again and again. The memory key binds the client,
 * the SHA-256 of the presented secret and the stored hash, so a rotated secret is checked afresh; only
 * successes are remembered, so a wrong secret always pays the full price.
 */
@ApplicationScoped
public class SecretVerifier {

    private final PasswordHasher hasher;
    private final Map<String, Boolean> verified;

    public SecretVerifier(PasswordHasher hasher, TokenServiceConfig config) {
        this.hasher = hasher;
        int capacity = config.secretCacheSize();
        this.verified = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        });
    }

    public Uni<Boolean> verify(ClientRegistration client, String presentedSecret) {
        if (client.secretHash() == null) {
            return Uni.createFrom().item(false);
        }
        String key = OpaqueToken.sha256(client.clientId() + '\n' + OpaqueToken.sha256(presentedSecret) + '\n' + client.secretHash());
        if (verified.containsKey(key)) {
            return Uni.createFrom().item(true);
        }
        return Uni.createFrom().item(() -> hasher.verify(presentedSecret.toCharArray(), client.secretHash()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .invoke(ok -> {
                    if (ok) {
                        verified.put(key, Boolean.TRUE);
                    }
                });
    }
}
