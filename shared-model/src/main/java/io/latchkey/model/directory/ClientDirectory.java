package io.latchkey.model.directory;

import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.store.RecordCodec;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Registered clients, in PostgreSQL's {@code clients} table, read through an in-process cache: the token leg
 * looks a client up on every request and must keep doing so while PostgreSQL is down.
 */
@ApplicationScoped
public class ClientDirectory {

    private static final RecordCodec<ClientRegistration> CODEC =
            new RecordCodec<>(ClientRegistration.class, ClientRegistration.VERSION);

    private final Pool pool;
    private final DirectoryCalls calls;
    private final DirectoryCache<String, ClientRegistration> cache;
    private final List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public ClientDirectory(Pool pool, DirectoryCalls calls, LatchkeyConfig config) {
        this.pool = pool;
        this.calls = calls;
        this.cache = new DirectoryCache<>(config.directory().cacheRefresh(), config.directory().cacheSize());
    }

    public Uni<Optional<ClientRegistration>> find(String clientId) {
        return cache.get(clientId, () -> calls.guard(pool
                .preparedQuery("SELECT registration::text FROM clients WHERE client_id = $1")
                .execute(Tuple.of(clientId)))
                .map(rows -> rows.size() == 0 ? Optional.<ClientRegistration>empty()
                        : Optional.of(read(clientId, rows.iterator().next()))));
    }

    /**
     * The web origins of every registered client, read afresh: its one reader (CORS) keeps the set itself and asks
     * again when a client changes ({@link #onChange}).
     */
    public Uni<Set<String>> webOrigins() {
        return calls.guard(pool
                .query("SELECT DISTINCT jsonb_array_elements_text(registration -> 'webOrigins') FROM clients")
                .execute())
                .map(rows -> {
                    Set<String> all = new HashSet<>();
                    rows.forEach(row -> all.add(row.getString(0)));
                    return Set.copyOf(all);
                });
    }

    /** Writes a client, in the caller's transaction. */
    public Uni<Void> save(SqlClient transaction, ClientRegistration client) {
        return transaction.preparedQuery("""
                INSERT INTO clients (client_id, registration) VALUES ($1, $2::text::jsonb)
                ON CONFLICT (client_id) DO UPDATE SET registration = excluded.registration, updated_at = now()""")
                .execute(Tuple.of(client.clientId(), CODEC.write(client)))
                .replaceWithVoid();
    }

    /**
     * Writes a new client, in the caller's transaction: unlike {@link #save}, never replaces one, so an id taken
     * meanwhile fails with a constraint violation instead of overwriting another client.
     */
    public Uni<Void> create(SqlClient transaction, ClientRegistration client) {
        return transaction.preparedQuery("INSERT INTO clients (client_id, registration) VALUES ($1, $2::text::jsonb)")
                .execute(Tuple.of(client.clientId(), CODEC.write(client)))
                .replaceWithVoid();
    }

    /** Removes a client and, by cascade, its consents, in the caller's transaction; false when there was none. */
    public Uni<Boolean> delete(SqlClient transaction, String clientId) {
        return transaction.preparedQuery("DELETE FROM clients WHERE client_id = $1")
                .execute(Tuple.of(clientId))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Ends the dynamic registration (RFC 7591) of these clients, in the caller's transaction: their registration
     * records go, and with them the registration access tokens that could change them. A realm file that declares a
     * client takes it over; from then on the file alone says what it is.
     */
    public Uni<Void> endRegistrations(SqlClient transaction, List<String> clientIds) {
        return transaction.preparedQuery("DELETE FROM client_registrations WHERE client_id = ANY($1)")
                .execute(Tuple.of(clientIds.toArray(String[]::new)))
                .replaceWithVoid();
    }

    /** These clients as stored, in the caller's transaction. */
    public Uni<Map<String, ClientRegistration>> findAll(SqlClient transaction, List<String> clientIds) {
        return transaction.preparedQuery("SELECT registration::text, client_id FROM clients WHERE client_id = ANY($1)")
                .execute(Tuple.of(clientIds.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, ClientRegistration> found = new HashMap<>();
                    rows.forEach(row -> found.put(row.getString(1), read(row.getString(1), row)));
                    return found;
                });
    }

    static ClientRegistration read(String clientId, Row row) {
        return CODEC.read("clients/" + clientId, row.getString(0));
    }

    /** Drops what a committed change touched (the writer's own replica at once, the others on the notification). */
    public void changed(String clientId) {
        cache.invalidate(clientId);
        listeners.forEach(Runnable::run);
    }

    public void changedAll() {
        cache.invalidateAll();
        listeners.forEach(Runnable::run);
    }

    /** Called after any client changed (on the listener's thread: return quickly). */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }
}
