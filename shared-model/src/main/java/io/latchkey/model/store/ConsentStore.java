package io.latchkey.model.store;

import io.latchkey.model.domain.Consent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Remembered consents, one per user and client. */
@ApplicationScoped
public class ConsentStore {

    private static final RecordCodec<Consent> CODEC = new RecordCodec<>(Consent.class, Consent.VERSION);

    private final JsonRecords records;

    public ConsentStore(JsonRecords records) {
        this.records = records;
    }

    public Uni<Optional<Consent>> find(String subject, String clientId) {
        return records.get(RedisKeys.consent(subject, clientId), CODEC);
    }

    public Uni<Void> save(Consent consent) {
        return records.put(RedisKeys.consent(consent.subject(), consent.clientId()), CODEC, consent);
    }

    public Uni<Boolean> delete(String subject, String clientId) {
        return records.delete(RedisKeys.consent(subject, clientId));
    }
}
