package io.latchkey.model.store;

import io.latchkey.model.domain.User;
import io.latchkey.model.domain.Usernames;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Users, by id and by username. A username is looked up by its RFC 8265 canonical form ({@link Usernames}),
 * so {@code Alice}, fullwidth {@code ａｌｉｃｅ} and {@code alice} find one account.
 */
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

    /** The user whose username has the same canonical form; empty when none has, or the profile refuses it. */
    public Uni<Optional<User>> findByUsername(String username) {
        Optional<String> canonical = Usernames.canonicalIfValid(username);
        if (canonical.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return userIdOf(canonical.get()).flatMap(id -> id.isEmpty()
                ? Uni.createFrom().item(Optional.<User>empty())
                : find(id.get()).map(user -> user.filter(u -> Usernames.comparable(u.username()).equals(canonical.get()))));
    }

    /** The id of the account that holds a canonical username ({@link Usernames#canonical}), if any. */
    public Uni<Optional<String>> userIdOf(String canonicalUsername) {
        return records.raw(RedisKeys.username(canonicalUsername)).map(Optional::ofNullable);
    }

    /**
     * Writes the user and its username index. When the username changed, the old index entry is dropped
     * first, so no name ever points at a user who no longer has it.
     */
    public Uni<Void> save(User user) {
        return find(user.id()).flatMap(previous -> {
            String name = Usernames.comparable(user.username());
            Uni<Boolean> dropOld = previous
                    .map(p -> Usernames.comparable(p.username()))
                    .filter(old -> !old.equals(name))
                    .map(old -> records.delete(RedisKeys.username(old)))
                    .orElse(Uni.createFrom().item(false));
            return dropOld
                    .flatMap(x -> records.put(RedisKeys.user(user.id()), CODEC, user))
                    .flatMap(x -> records.putRaw(RedisKeys.username(name), user.id()));
        });
    }
}
