package io.latchkey.token.client;

import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.store.ClientStore;
import io.latchkey.token.TokenServiceConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Client registrations served from memory for a short time, so that the hot path spends its one Redis
 * round trip on the code or refresh token, not on the client. A changed registration is seen within
 * {@code token-service.client-cache-ttl}. Unknown client ids are remembered too, in a map of their own,
 * so that a repeated id is answered from memory whether or not it is registered (otherwise one Redis round
 * trip more would tell the two apart) and so that guessing ids can fill only that map, never push real
 * clients out. Both maps are bounded; a new registration is seen within the same time.
 */
@ApplicationScoped
public class ClientCache {

    private static final int MAX_ENTRIES = 10_000;

    private record Entry(ClientRegistration client, long expiresAtNanos) {
    }

    private final ClientStore clients;
    private final long ttlNanos;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    /** Unknown ids, with the time they are forgotten. */
    private final ConcurrentHashMap<String, Long> unknown = new ConcurrentHashMap<>();

    public ClientCache(ClientStore clients, TokenServiceConfig config) {
        this.clients = clients;
        this.ttlNanos = config.clientCacheTtl().toNanos();
    }

    public Uni<Optional<ClientRegistration>> find(String clientId) {
        Entry entry = entries.get(clientId);
        if (entry != null && System.nanoTime() - entry.expiresAtNanos() < 0) {
            return Uni.createFrom().item(Optional.of(entry.client()));
        }
        Long unknownUntil = unknown.get(clientId);
        if (unknownUntil != null && System.nanoTime() - unknownUntil < 0) {
            return Uni.createFrom().item(Optional.empty());
        }
        return clients.find(clientId).invoke(found -> {
            if (found.isPresent()) {
                if (entries.size() >= MAX_ENTRIES) {
                    entries.clear();
                }
                entries.put(clientId, new Entry(found.get(), System.nanoTime() + ttlNanos));
                unknown.remove(clientId);
            } else {
                if (unknown.size() >= MAX_ENTRIES) {
                    unknown.clear();
                }
                unknown.put(clientId, System.nanoTime() + ttlNanos);
                entries.remove(clientId);
            }
        });
    }
}
