package io.latchkey.model.store;

import io.latchkey.model.domain.ClientRegistration;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Registered clients, and the index of their web origins ({@link RedisKeys#clientOrigins()}), which every
 * save keeps in step with the client.
 */
@ApplicationScoped
public class ClientStore {

    private static final RecordCodec<ClientRegistration> CODEC =
            new RecordCodec<>(ClientRegistration.class, ClientRegistration.VERSION);

    private final JsonRecords records;
    private final ReactiveHashCommands<String, String, String> hashes;
    private final RedisCalls calls;

    public ClientStore(JsonRecords records, ReactiveRedisDataSource redis, RedisCalls calls) {
        this.records = records;
        this.hashes = redis.hash(String.class);
        this.calls = calls;
    }

    public Uni<Optional<ClientRegistration>> find(String clientId) {
        return records.get(RedisKeys.client(clientId), CODEC);
    }

    public Uni<Void> save(ClientRegistration client) {
        return records.put(RedisKeys.client(client.clientId()), CODEC, client).chain(() -> indexWebOrigins(client));
    }

    /**
     * Writes the client's entry of the origin index (a no-op when it is already there), for clients saved
     * before the index existed.
     */
    public Uni<Void> indexWebOrigins(ClientRegistration client) {
        // Origins are scheme://host[:port] (checked at import): a space never occurs in one.
        return calls.guard(hashes.hset(RedisKeys.clientOrigins(), client.clientId(), String.join(" ", client.webOrigins())))
                .replaceWithVoid();
    }

    /** The web origins of every registered client, in one call on one key. */
    public Uni<Set<String>> webOrigins() {
        return calls.guard(hashes.hgetall(RedisKeys.clientOrigins())).map(byClient -> byClient.values().stream()
                .flatMap(origins -> Arrays.stream(origins.split(" ")))
                .filter(origin -> !origin.isEmpty())
                .collect(Collectors.toUnmodifiableSet()));
    }
}
