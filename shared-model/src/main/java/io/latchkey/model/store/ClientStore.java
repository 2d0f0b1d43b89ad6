package io.latchkey.model.store;

import io.latchkey.model.domain.ClientRegistration;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Registered clients. */
@ApplicationScoped
public class ClientStore {

    private static final RecordCodec<ClientRegistration> CODEC =
            new RecordCodec<>(ClientRegistration.class, ClientRegistration.VERSION);

    private final JsonRecords records;

    public ClientStore(JsonRecords records) {
        this.records = records;
    }

    public Uni<Optional<ClientRegistration>> find(String clientId) {
        return records.get(RedisKeys.client(clientId), CODEC);
    }

    public Uni<Void> save(ClientRegistration client) {
        return records.put(RedisKeys.client(client.clientId()), CODEC, client);
    }
}
