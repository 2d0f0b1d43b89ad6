package io.latchkey.model.directory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.domain.User;
import io.latchkey.model.domain.Usernames;
import io.latchkey.model.store.StoreException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Users and their password credential, in PostgreSQL's {@code users} and {@code credentials} tables.
 *
 * <p>{@link #find} serves the token leg and silent renewal (status and claims) through an in-process cache
 * and never carries the password hash; {@link #findByUsername} serves a login, always asks PostgreSQL, and
 * carries it. A username is looked up by its RFC 8265 canonical form ({@link Usernames}), which a unique
 * index keeps to one account.
 */
@ApplicationScoped
public class UserDirectory {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> CLAIMS = new TypeReference<>() {
    };

    private static final String SELECT = """
            SELECT u.id, u.username, u.status, u.claims::text, %s
            FROM users u""";

    private final Pool pool;
    private final DirectoryCalls calls;
    private final DirectoryCache<String, User> cache;

    public UserDirectory(Pool pool, DirectoryCalls calls, LatchkeyConfig config) {
        this.pool = pool;
        this.calls = calls;
        this.cache = new DirectoryCache<>(config.directory().cacheRefresh(), config.directory().cacheSize());
    }

    /** The user's profile (status and claims), without the password hash. */
    public Uni<Optional<User>> find(String userId) {
        return cache.get(userId, () -> calls.guard(pool
                .preparedQuery(SELECT.formatted("NULL") + " WHERE u.id = $1")
                .execute(Tuple.of(userId)))
                .map(UserDirectory::first));
    }

    /**
     * The user with this username's canonical form, with the password hash, for a login; empty when none
     * has it or the name is not a valid username.
     */
    public Uni<Optional<User>> findByUsername(String username) {
        Optional<String> canonical = Usernames.canonicalIfValid(username);
        if (canonical.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return calls.guard(pool
                .preparedQuery(SELECT.formatted("c.secret") + """
                         LEFT JOIN credentials c ON c.user_id = u.id AND c.type = 'password'
                        WHERE u.username_canonical = $1""")
                .execute(Tuple.of(canonical.get())))
                .map(UserDirectory::first);
    }

    /**
     * Replaces a password hash (a rehash at sign-in), only if it is still the one the login checked: a
     * password changed meanwhile is not overwritten with the old one's new hash.
     */
    public Uni<Boolean> replacePasswordHash(String userId, String checkedHash, String newHash) {
        return calls.guard(pool
                .preparedQuery("UPDATE credentials SET secret = $3 WHERE user_id = $1 AND type = 'password' AND secret = $2")
                .execute(Tuple.of(userId, checkedHash, newHash)))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Writes users and their password credentials in the caller's transaction, in batches of one statement
     * each: a user and their credential commit together or not at all. The password of a user whose
     * {@code passwordHash} is null is left as it is.
     */
    public Uni<Void> save(SqlClient transaction, List<User> users) {
        if (users.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String[] ids = new String[users.size()];
        String[] names = new String[users.size()];
        String[] canonical = new String[users.size()];
        String[] statuses = new String[users.size()];
        String[] claims = new String[users.size()];
        String[] hashes = new String[users.size()];
        for (int i = 0; i < users.size(); i++) {
            User user = users.get(i);
            ids[i] = user.id();
            names[i] = user.username();
            canonical[i] = Usernames.comparable(user.username());
            statuses[i] = user.enabled() ? "active" : "disabled";
            claims[i] = writeClaims(user.claims());
            hashes[i] = user.passwordHash();
        }
        return transaction.preparedQuery("""
                INSERT INTO users (id, username, username_canonical, status, claims)
                SELECT id, username, canonical, status, claims::jsonb
                FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u (id, username, canonical, status, claims)
                ON CONFLICT (id) DO UPDATE SET username = excluded.username,
                    username_canonical = excluded.username_canonical, status = excluded.status,
                    claims = excluded.claims, updated_at = now(), version = users.version + 1""")
                .execute(Tuple.of(ids, names, canonical, statuses, claims))
                .flatMap(x -> transaction.preparedQuery("""
                        INSERT INTO credentials (user_id, type, secret)
                        SELECT id, 'password', hash FROM unnest($1::text[], $2::text[]) AS p (id, hash)
                        WHERE hash IS NOT NULL
                        ON CONFLICT (user_id) WHERE type = 'password' DO UPDATE SET secret = excluded.secret""")
                        .execute(Tuple.of(ids, hashes)))
                .replaceWithVoid();
    }

    /** The ids of the accounts holding these canonical usernames, in the caller's transaction. */
    public Uni<Map<String, String>> ownersOf(SqlClient transaction, List<String> canonicalUsernames) {
        return transaction.preparedQuery("SELECT username_canonical, id FROM users WHERE username_canonical = ANY($1)")
                .execute(Tuple.of(canonicalUsernames.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, String> owners = new java.util.HashMap<>();
                    rows.forEach(row -> owners.put(row.getString(0), row.getString(1)));
                    return owners;
                });
    }

    /** These users as stored, with their password hashes, in the caller's transaction. */
    public Uni<Map<String, User>> findAll(SqlClient transaction, List<String> userIds) {
        return transaction.preparedQuery(SELECT.formatted("c.secret") + """
                         LEFT JOIN credentials c ON c.user_id = u.id AND c.type = 'password'
                        WHERE u.id = ANY($1)""")
                .execute(Tuple.of(userIds.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, User> found = new java.util.HashMap<>();
                    rows.forEach(row -> found.put(row.getString(0), read(row)));
                    return found;
                });
    }

    private static Optional<User> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(read(rows.iterator().next()));
    }

    private static User read(Row row) {
        String id = row.getString(0);
        try {
            return new User(id, row.getString(1), row.getString(4), "active".equals(row.getString(2)),
                    JSON.readValue(row.getString(3), CLAIMS));
        } catch (JsonProcessingException e) {
            throw StoreException.corrupt("users/" + id, e);
        }
    }

    static String writeClaims(Map<String, Object> claims) {
        try {
            return JSON.writeValueAsString(claims);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Claims are not representable as JSON: " + e.getMessage(), e);
        }
    }

    /** Drops what a committed change touched (the writer's own replica at once, the others on the notification). */
    public void changed(String userId) {
        cache.invalidate(userId);
    }

    public void changedAll() {
        cache.invalidateAll();
    }
}
