package io.latchkey.model.directory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.model.store.StoreException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Passkeys (WebAuthn public key credentials) and the users' WebAuthn user handles, in PostgreSQL: rows of type
 * {@code webauthn} in {@code credentials} and {@code users.webauthn_handle} (V5__login_options.sql). Every
 * read asks PostgreSQL: a sign-in must see the counter and the removal of a passkey at once.
 */
@ApplicationScoped
public class PasskeyDirectory {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    /** SQLSTATE unique_violation. */
    private static final String UNIQUE_VIOLATION = "23505";

    private static final String SELECT = """
            SELECT id, user_id, secret, label, data::text, created_at, last_used_at FROM credentials
            WHERE type = 'webauthn'""";

    /**
     * One passkey.
     *
     * @param id            the row's id, by which the account page names it
     * @param credentialId  the credential id (WebAuthn §4 "Credential ID"), base64url
     * @param name          the name the user gave it; null when none was given
     * @param publicKeyCose the credential public key as the authenticator gave it (WebAuthn §6.5.1.1
     *                      credentialPublicKey, a CBOR COSE_Key), base64url. With the id and the aaguid it
     *                      rebuilds the attested credential data a verifier needs, so nothing else is stored.
     * @param signCount     the signature counter last seen (WebAuthn §6.1.1); 0 for authenticators that keep none
     * @param backupEligible the BE flag at registration, fixed for the credential's life (WebAuthn §6.1.3)
     * @param backupState   the BS flag last seen: whether the credential is currently backed up (synced)
     * @param uvInitialized whether the registration was made with user verification
     * @param transports    the hints getTransports() gave at registration (WebAuthn §5.8.4), for allow lists
     * @param aaguid        the authenticator model (all zeros under "none" attestation)
     * @param createdAt     set by the database on {@link #add}
     * @param lastUsedAt    the last successful sign-in, null before the first
     */
    public record Passkey(long id, String userId, String credentialId, String name, String publicKeyCose, long signCount,
            boolean backupEligible, boolean backupState, boolean uvInitialized, List<String> transports, String aaguid,
            Instant createdAt, Instant lastUsedAt) {

        public Passkey {
            transports = transports == null ? List.of() : List.copyOf(transports);
        }
    }

    /** A credential id already registered (to this or another user): WebAuthn §7.1 step 26 refuses it. */
    public static class DuplicateCredentialException extends RuntimeException {
        public DuplicateCredentialException(String credentialId) {
            super("The credential id " + credentialId + " is already registered");
        }
    }

    private final Pool pool;
    private final DirectoryCalls calls;

    public PasskeyDirectory(Pool pool, DirectoryCalls calls) {
        this.pool = pool;
        this.calls = calls;
    }

    /**
     * The user's WebAuthn user handle (WebAuthn §5.4.3 user.id), made now if the user has none. One statement: a
     * concurrent first registration waits for the row lock and then keeps the handle the first one wrote, so both
     * put the same handle on their authenticators. Fails with {@link IllegalArgumentException} for an unknown user.
     */
    public Uni<String> userHandle(String userId) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        return calls.guard(pool
                .preparedQuery("UPDATE users SET webauthn_handle = COALESCE(webauthn_handle, $2) WHERE id = $1 RETURNING webauthn_handle")
                .execute(Tuple.of(userId, BASE64URL.encodeToString(random))))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw new IllegalArgumentException("No user " + userId);
                    }
                    return rows.iterator().next().getString(0);
                });
    }

    /** The user a discoverable credential's user handle names (WebAuthn §7.2 step 6), if any. */
    public Uni<Optional<String>> userIdByHandle(String handle) {
        return calls.guard(pool.preparedQuery("SELECT id FROM users WHERE webauthn_handle = $1").execute(Tuple.of(handle)))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString(0)));
    }

    /** The user's passkeys, oldest first. */
    /** How many passkeys the user has, for a sign-in deciding what to offer (no rows read). */
    public Uni<Integer> count(String userId) {
        return calls.guard(pool.preparedQuery("SELECT count(*) FROM credentials WHERE type = 'webauthn' AND user_id = $1")
                .execute(Tuple.of(userId))).map(rows -> rows.iterator().next().getLong(0).intValue());
    }

    public Uni<List<Passkey>> list(String userId) {
        return calls.guard(pool.preparedQuery(SELECT + " AND user_id = $1 ORDER BY created_at, id").execute(Tuple.of(userId)))
                .map(rows -> {
                    List<Passkey> found = new ArrayList<>();
                    rows.forEach(row -> found.add(read(row)));
                    return found;
                });
    }

    public Uni<Optional<Passkey>> findByCredentialId(String credentialId) {
        return calls.guard(pool.preparedQuery(SELECT + " AND data ->> 'credentialId' = $1").execute(Tuple.of(credentialId)))
                .map(PasskeyDirectory::first);
    }

    /**
     * Stores a new passkey (its {@code id}, {@code createdAt} and {@code lastUsedAt} are ignored) and returns it as
     * stored. Fails with {@link DuplicateCredentialException} when the credential id is registered already.
     */
    public Uni<Passkey> add(Passkey p) {
        return calls.guard(pool.preparedQuery("""
                        INSERT INTO credentials (user_id, type, secret, label, data)
                        VALUES ($1, 'webauthn', $2, $3, $4::text::jsonb)
                        RETURNING id, user_id, secret, label, data::text, created_at, last_used_at""")
                        .execute(Tuple.of(p.userId(), p.publicKeyCose(), p.name(), data(p))))
                .map(rows -> read(rows.iterator().next()))
                .onFailure(PasskeyDirectory::isUniqueViolation)
                .transform(failure -> new DuplicateCredentialException(p.credentialId()));
    }

    /** Gives one of the user's passkeys a new name; false when the user has no such passkey. */
    public Uni<Boolean> rename(String userId, long id, String name) {
        return calls.guard(pool
                .preparedQuery("UPDATE credentials SET label = $3 WHERE id = $2 AND user_id = $1 AND type = 'webauthn'")
                .execute(Tuple.of(userId, id, name)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Removes one of the user's passkeys; false when the user has no such passkey. */
    public Uni<Boolean> remove(String userId, long id) {
        return calls.guard(remove(pool, userId, id));
    }

    /**
     * Removes one of the user's passkeys in the caller's transaction (with its audit row); false when the user has no
     * such passkey, also when the id is another user's. The caller guards it with {@link DirectoryCalls}.
     */
    public Uni<Boolean> remove(SqlClient transaction, String userId, long id) {
        return transaction.preparedQuery("DELETE FROM credentials WHERE id = $2 AND user_id = $1 AND type = 'webauthn'")
                .execute(Tuple.of(userId, id))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Removes every passkey of the user (an admin's reset of the login options); how many there were. */
    public Uni<Integer> removeAll(String userId) {
        return calls.guard(removeAll(pool, userId));
    }

    /** {@link #removeAll(String)} in the caller's transaction (with its audit row), which the caller guards. */
    public Uni<Integer> removeAll(SqlClient transaction, String userId) {
        return transaction.preparedQuery("DELETE FROM credentials WHERE user_id = $1 AND type = 'webauthn'")
                .execute(Tuple.of(userId))
                .map(RowSet::rowCount);
    }

    /**
     * Records a successful assertion: the new signature counter and backup state, and the time. Only if the
     * stored counter is still {@code expectedSignCount}, in one statement: of two concurrent assertions verified
     * against one counter value, one wins and the other gets false (WebAuthn §7.2 step 22 would have refused it had
     * it come second).
     */
    public Uni<Boolean> recordUse(String credentialId, long expectedSignCount, long newSignCount, boolean backupState) {
        return calls.guard(pool.preparedQuery("""
                        UPDATE credentials
                        SET data = data || jsonb_build_object('signCount', $3::bigint, 'backupState', $4::boolean),
                            last_used_at = now()
                        WHERE type = 'webauthn' AND data ->> 'credentialId' = $1 AND (data ->> 'signCount')::bigint = $2""")
                        .execute(Tuple.of(credentialId, expectedSignCount, newSignCount, backupState)))
                .map(rows -> rows.rowCount() == 1);
    }

    private static boolean isUniqueViolation(Throwable failure) {
        return failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
    }

    private static String data(Passkey p) {
        ObjectNode data = JSON.createObjectNode()
                .put("credentialId", p.credentialId())
                .put("signCount", p.signCount())
                .put("backupEligible", p.backupEligible())
                .put("backupState", p.backupState())
                .put("uvInitialized", p.uvInitialized())
                .put("aaguid", p.aaguid());
        var transports = data.putArray("transports");
        p.transports().forEach(transports::add);
        return data.toString();
    }

    private static Optional<Passkey> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(read(rows.iterator().next()));
    }

    private static Passkey read(Row row) {
        long id = row.getLong(0);
        try {
            JsonNode data = JSON.readTree(row.getString(4));
            List<String> transports = new ArrayList<>();
            data.path("transports").forEach(t -> transports.add(t.asText()));
            return new Passkey(id, row.getString(1), data.path("credentialId").asText(), row.getString(3), row.getString(2),
                    data.path("signCount").asLong(), data.path("backupEligible").asBoolean(), data.path("backupState").asBoolean(),
                    data.path("uvInitialized").asBoolean(), transports, data.path("aaguid").asText(null),
                    instant(row.getOffsetDateTime(5)), instant(row.getOffsetDateTime(6)));
        } catch (JsonProcessingException e) {
            throw StoreException.corrupt("credentials/" + id, e);
        }
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
