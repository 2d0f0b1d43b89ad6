package io.latchkey.model.directory;

import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.domain.Consent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.StreamSupport;

/**
 * Remembered consents, one per user and client, in PostgreSQL's {@code consents} table; read through an
 * in-process cache because silent renewal asks on every renewal and must keep answering while PostgreSQL is
 * down.
 */
@ApplicationScoped
public class ConsentDirectory {

    record Key(String subject, String clientId) {
    }

    private final Pool pool;
    private final DirectoryCalls calls;
    private final DirectoryCache<Key, Consent> cache;

    public ConsentDirectory(Pool pool, DirectoryCalls calls, LatchkeyConfig config) {
        this.pool = pool;
        this.calls = calls;
        this.cache = new DirectoryCache<>(config.directory().cacheRefresh(), config.directory().cacheSize());
    }

    public Uni<Optional<Consent>> find(String subject, String clientId) {
        return cache.get(new Key(subject, clientId), () -> calls.guard(pool
                .preparedQuery("SELECT scopes, granted_at FROM consents WHERE user_id = $1 AND client_id = $2")
                .execute(Tuple.of(subject, clientId)))
                .map(rows -> rows.size() == 0 ? Optional.<Consent>empty()
                        : Optional.of(read(subject, clientId, rows.iterator().next()))));
    }

    public Uni<Void> save(Consent consent) {
        return calls.guard(pool.preparedQuery("""
                INSERT INTO consents (user_id, client_id, scopes, granted_at) VALUES ($1, $2, $3, $4)
                ON CONFLICT (user_id, client_id) DO UPDATE SET scopes = excluded.scopes, granted_at = excluded.granted_at""")
                .execute(Tuple.of(consent.subject(), consent.clientId(), consent.scopes().toArray(String[]::new),
                        OffsetDateTime.ofInstant(Instant.ofEpochSecond(consent.grantedAt()), ZoneOffset.UTC))))
                // This replica reads its own write at once; the others on the change notification.
                .invoke(() -> changed(consent.subject(), consent.clientId()))
                .replaceWithVoid();
    }

    public Uni<Boolean> delete(String subject, String clientId) {
        return calls.guard(pool.preparedQuery("DELETE FROM consents WHERE user_id = $1 AND client_id = $2")
                .execute(Tuple.of(subject, clientId)))
                .invoke(() -> changed(subject, clientId))
                .map(rows -> rows.rowCount() > 0);
    }

    /** Every consent the user gave, newest first; asks PostgreSQL (an administrator's view, not a hot path). */
    public Uni<List<Consent>> findAll(String subject) {
        return calls.guard(pool
                .preparedQuery("SELECT scopes, granted_at, client_id FROM consents WHERE user_id = $1 ORDER BY granted_at DESC, client_id")
                .execute(Tuple.of(subject)))
                .map(rows -> StreamSupport.stream(rows.spliterator(), false)
                        .map(row -> read(subject, row.getString(2), row))
                        .toList());
    }

    /**
     * Withdraws a consent in the caller's transaction (with its audit row); true if there was one. The caches drop it
     * on the change notification at commit, this replica's included.
     */
    public Uni<Boolean> delete(SqlClient transaction, String subject, String clientId) {
        return transaction.preparedQuery("DELETE FROM consents WHERE user_id = $1 AND client_id = $2")
                .execute(Tuple.of(subject, clientId))
                .map(rows -> rows.rowCount() > 0);
    }

    private static Consent read(String subject, String clientId, Row row) {
        return new Consent(subject, clientId, Set.of(row.getArrayOfStrings(0)),
                row.getOffsetDateTime(1).toEpochSecond());
    }

    /** Drops what a committed change touched (the writer's own replica at once, the others on the notification). */
    public void changed(String subject, String clientId) {
        cache.invalidate(new Key(subject, clientId));
    }

    public void changedAll() {
        cache.invalidateAll();
    }
}
