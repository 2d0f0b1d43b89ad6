package io.latchkey.model.store;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/** Reads and writes one versioned JSON record per key, guarded; the stores' shared plumbing. */
@ApplicationScoped
public class JsonRecords {

    private final ReactiveValueCommands<String, String> values;
    private final ReactiveKeyCommands<String> keys;
    private final RedisCalls calls;

    public JsonRecords(ReactiveRedisDataSource redis, RedisCalls calls) {
        this.values = redis.value(String.class);
        this.keys = redis.key(String.class);
        this.calls = calls;
    }

    public <T> Uni<Optional<T>> get(String key, RecordCodec<T> codec) {
        return calls.guard("GET", values.get(key)).map(json -> Optional.ofNullable(json).map(j -> codec.read(key, j)));
    }

    /** Writes with a time to live. */
    public <T> Uni<Void> put(String key, RecordCodec<T> codec, T record, Duration ttl) {
        return calls.guard("PSETEX", values.psetex(key, ttl.toMillis(), codec.write(record)));
    }

    /** Writes a registry record, which lives until it is replaced or deleted. */
    public <T> Uni<Void> put(String key, RecordCodec<T> codec, T record) {
        return calls.guard("SET", values.set(key, codec.write(record)));
    }

    /**
     * Overwrites a record that still exists, keeping its time to live: a finished or expired record is not
     * brought back.
     */
    public <T> Uni<Void> replace(String key, RecordCodec<T> codec, T record) {
        return calls.guard("SET", values.set(key, codec.write(record), new SetArgs().keepttl().xx()));
    }

    public Uni<Boolean> delete(String key) {
        return calls.guard("DEL", keys.del(key)).map(n -> n == 1);
    }

    /** A plain string value: an index entry. */
    Uni<Void> putRaw(String key, String value) {
        return calls.guard("SET", values.set(key, value));
    }

    /** The raw value: an index entry, or a record's JSON for callers that compare before writing. */
    Uni<String> raw(String key) {
        return calls.guard("GET", values.get(key));
    }
}
