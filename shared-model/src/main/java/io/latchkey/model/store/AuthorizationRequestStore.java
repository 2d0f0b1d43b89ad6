package io.latchkey.model.store;

import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.domain.AuthorizationRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Validated authorization requests waiting for login and consent ({@code latchkey.lifetimes.request}). */
@ApplicationScoped
public class AuthorizationRequestStore {

    private static final RecordCodec<AuthorizationRequest> CODEC =
            new RecordCodec<>(AuthorizationRequest.class, AuthorizationRequest.VERSION);

    private final JsonRecords records;
    private final LatchkeyConfig config;

    public AuthorizationRequestStore(JsonRecords records, LatchkeyConfig config) {
        this.records = records;
        this.config = config;
    }

    public Uni<Void> save(AuthorizationRequest request) {
        return records.put(RedisKeys.authorizationRequest(request.id()), CODEC, request, config.lifetimes().request());
    }

    /** A stored request with its sign-in progress changed, within the lifetime it was given (never extended). */
    public Uni<Void> replace(AuthorizationRequest request) {
        return records.replace(RedisKeys.authorizationRequest(request.id()), CODEC, request);
    }

    public Uni<Optional<AuthorizationRequest>> find(String requestId) {
        return records.get(RedisKeys.authorizationRequest(requestId), CODEC);
    }

    /** A request ends with its code (or its error): it cannot be answered twice. */
    public Uni<Boolean> delete(String requestId) {
        return records.delete(RedisKeys.authorizationRequest(requestId));
    }
}
