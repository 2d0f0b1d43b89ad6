package io.latchkey.model.store;

import io.latchkey.model.domain.User;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Users, by id and by username (case-insensitive). */
@ApplicationScoped
public class UserStore {

    private static final RecordCodec<User> CODEC = new RecordCodec<>(User.class, User.VERSION);

    private final JsonRecords records;

    public UserStore(JsonRecords records) {
        this.records = records;
    }

    public Uni<Optional<User>> find(String userId) {
        return records.get(RedisKeys.user(userId), CODEC);
    }

    public Uni<Optional<User>> findByUsername(String username) {
        return records.raw(RedisKeys.username(username)).flatMap(id -> id == null
                ? Uni.createFrom().item(Optional.<User>empty())
                : find(id).map(user -> user.filter(u -> u.username().equalsIgnoreCase(username))));
    }

    /**
     * Writes the user and its username index. When the username changed, the old index entry is dropped
     * first, so no name ever points at a user who no longer has it.
     */
    public Uni<Void> save(User user) {
        return find(user.id()).flatMap(previous -> {
            Uni<Boolean> dropOld = previous
                    .filter(p -> !p.username().equalsIgnoreCase(user.username()))
                    .map(p -> records.delete(RedisKeys.username(p.username())))
                    .orElse(Uni.createFrom().item(false));
            return dropOld
                    .flatMap(x -> records.put(RedisKeys.user(user.id()), CODEC, user))
                    .flatMap(x -> records.putRaw(RedisKeys.username(user.username()), user.id()));
        });
    }
}
