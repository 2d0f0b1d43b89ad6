package io.latchkey.model.directory;

import io.latchkey.model.store.CallerFailure;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A user's TOTP authenticator (RFC 6238) and its recovery codes, as rows of the {@code credentials} table
 * (V5__login_options.sql): one row of type {@code totp} per user, whose {@code secret} is the shared secret as the
 * caller encrypted it and whose {@code data.lastStep} is the last time step accepted; and one row of type
 * {@code recovery-code} per unused code, whose {@code secret} is the <b>base64url (no padding) of the SHA-256
 * digest</b> of the code's canonical form, as the caller computed it.
 *
 * <p>Every decision that a race could double is one statement: a time step is accepted by one conditional UPDATE
 * and a recovery code redeemed by one DELETE, so two concurrent uses of one code cannot both win. Writes that touch
 * several rows (enrolment, new recovery codes, removal) run in one transaction that first locks the user's row,
 * so two of them for one user never interleave (two enrolments at once leave one secret with its own codes).
 *
 * <p>Never cached: each answer decides a sign-in.
 */
@ApplicationScoped
public class SecondFactorDirectory {

    /** The stored TOTP authenticator of a user; {@code encryptedSecret} as the caller stored it. */
    public record TotpCredential(String userId, String encryptedSecret, long lastStep, Instant createdAt) {
        @Override
        public String toString() {
            return "TotpCredential[userId=" + userId + ", lastStep=" + lastStep + ", createdAt=" + createdAt + "]";
        }
    }

    /** New recovery codes were asked for a user without a TOTP authenticator: they would protect nothing. */
    public static final class NoTotpException extends IllegalStateException implements CallerFailure {
        NoTotpException(String userId) {
            super("User " + userId + " has no TOTP authenticator; recovery codes exist only beside one");
        }
    }

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final Pool pool;
    private final DirectoryCalls calls;

    public SecondFactorDirectory(Pool pool, DirectoryCalls calls) {
        this.pool = pool;
        this.calls = calls;
    }

    public Uni<Optional<TotpCredential>> findTotp(String userId) {
        return calls.guard(pool.preparedQuery("""
                SELECT secret, (data ->> 'lastStep')::bigint, created_at FROM credentials
                WHERE user_id = $1 AND type = 'totp'""")
                .execute(Tuple.of(userId)))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(read(userId, rows.iterator().next())));
    }

    /**
     * Records that a code of time step {@code step} was accepted, only if no code of this or a later step was
     * before (RFC 6238 §5.2: "the verifier MUST NOT accept the second attempt of the OTP after the successful
     * validation has been issued for the first OTP"). One statement: of concurrent calls with one step, PostgreSQL
     * lets one update the row and re-checks the condition for the others against the updated row.
     *
     * @return true if this call accepted the step; false if it was used already, a later one was, or there is no TOTP
     */
    public Uni<Boolean> acceptStep(String userId, long step) {
        return calls.guard(pool.preparedQuery("""
                UPDATE credentials SET data = jsonb_set(data, '{lastStep}', to_jsonb($2::bigint)), last_used_at = now()
                WHERE user_id = $1 AND type = 'totp' AND (data ->> 'lastStep')::bigint < $2""")
                .execute(Tuple.of(userId, step)))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Stores a confirmed TOTP authenticator in place of any earlier one, with new recovery codes in place of all
     * earlier ones, in one transaction. {@code confirmedStep} is the step of the code that confirmed it, so that
     * code cannot sign in afterwards.
     */
    public Uni<Void> enrolTotp(String userId, String encryptedSecret, long confirmedStep, List<byte[]> recoveryCodeDigests) {
        return calls.guard(pool.withTransaction(tx -> lockUser(tx, userId)
                .flatMap(x -> tx.preparedQuery("DELETE FROM credentials WHERE user_id = $1 AND type IN ('totp', 'recovery-code')")
                        .execute(Tuple.of(userId)))
                .flatMap(x -> tx.preparedQuery("""
                        INSERT INTO credentials (user_id, type, secret, data)
                        VALUES ($1, 'totp', $2, jsonb_build_object('lastStep', $3::bigint))""")
                        .execute(Tuple.of(userId, encryptedSecret, confirmedStep)))
                .flatMap(x -> insertRecoveryCodes(tx, userId, recoveryCodeDigests))));
    }

    /**
     * Redeems one recovery code by deleting the row with its digest: of concurrent redemptions of one code, one
     * deletes the row and the others find none.
     *
     * @return true if the code was unused and is now used up
     */
    public Uni<Boolean> redeemRecoveryCode(String userId, byte[] digest) {
        return calls.guard(pool.preparedQuery("""
                DELETE FROM credentials WHERE user_id = $1 AND type = 'recovery-code' AND secret = $2 RETURNING id""")
                .execute(Tuple.of(userId, encode(digest))))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Integer> recoveryCodesLeft(String userId) {
        return calls.guard(pool.preparedQuery("SELECT count(*) FROM credentials WHERE user_id = $1 AND type = 'recovery-code'")
                .execute(Tuple.of(userId)))
                .map(rows -> rows.iterator().next().getLong(0).intValue());
    }

    /**
     * Replaces all of the user's recovery codes in one transaction.
     *
     * @throws NoTotpException (as the Uni's failure) when the user has no TOTP authenticator
     */
    public Uni<Void> replaceRecoveryCodes(String userId, List<byte[]> digests) {
        return calls.guard(pool.withTransaction(tx -> lockUser(tx, userId)
                .flatMap(x -> tx.preparedQuery("SELECT 1 FROM credentials WHERE user_id = $1 AND type = 'totp'")
                        .execute(Tuple.of(userId)))
                .flatMap(rows -> rows.size() == 0 ? Uni.createFrom().failure(new NoTotpException(userId))
                        : tx.preparedQuery("DELETE FROM credentials WHERE user_id = $1 AND type = 'recovery-code'")
                                .execute(Tuple.of(userId)))
                .flatMap(x -> insertRecoveryCodes(tx, userId, digests))));
    }

    /** What a removal of the TOTP authenticator took away: whether there was one, and how many unused recovery codes. */
    public record TotpRemoval(boolean totp, int recoveryCodes) {
    }

    /**
     * Deletes the user's TOTP authenticator and recovery codes in one transaction.
     *
     * @return true if there was a TOTP authenticator
     */
    public Uni<Boolean> removeTotp(String userId) {
        return calls.guard(pool.withTransaction(tx -> removeTotp(tx, userId))).map(TotpRemoval::totp);
    }

    /**
     * Deletes the user's TOTP authenticator and recovery codes in the caller's transaction (an admin's reset, with its
     * audit row); the caller guards the transaction with {@link DirectoryCalls}.
     */
    public Uni<TotpRemoval> removeTotp(SqlClient transaction, String userId) {
        return lockUser(transaction, userId)
                .flatMap(x -> transaction.preparedQuery("""
                        DELETE FROM credentials WHERE user_id = $1 AND type IN ('totp', 'recovery-code') RETURNING type""")
                        .execute(Tuple.of(userId)))
                .map(rows -> {
                    boolean totp = false;
                    int codes = 0;
                    for (Row row : rows) {
                        if ("totp".equals(row.getString(0))) {
                            totp = true;
                        } else {
                            codes++;
                        }
                    }
                    return new TotpRemoval(totp, codes);
                });
    }

    /** The stored form of a recovery code's digest (see the class comment). */
    static String encode(byte[] digest) {
        return BASE64URL.encodeToString(digest);
    }

    // Serialises the multi-row writes of one user; NO KEY UPDATE does not block the key-share locks that inserts of
    // other credentials (a passkey) take on the user's row.
    private static Uni<Void> lockUser(SqlClient tx, String userId) {
        return tx.preparedQuery("SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE").execute(Tuple.of(userId)).replaceWithVoid();
    }

    private static Uni<Void> insertRecoveryCodes(SqlClient tx, String userId, List<byte[]> digests) {
        if (digests.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String[] secrets = digests.stream().map(SecondFactorDirectory::encode).toArray(String[]::new);
        return tx.preparedQuery("""
                INSERT INTO credentials (user_id, type, secret)
                SELECT $1, 'recovery-code', s FROM unnest($2::text[]) AS s""")
                .execute(Tuple.of(userId, secrets))
                .replaceWithVoid();
    }

    private static TotpCredential read(String userId, Row row) {
        Long lastStep = row.getLong(1);
        return new TotpCredential(userId, row.getString(0), lastStep == null ? 0 : lastStep, row.getOffsetDateTime(2).toInstant());
    }
}
