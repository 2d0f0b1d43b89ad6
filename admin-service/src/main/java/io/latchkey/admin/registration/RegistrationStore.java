package io.latchkey.admin.registration;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * The {@code client_registrations} table (V3__registration.sql): for each dynamically registered client, the hash of
 * its current registration access token and the authentication method it registered. The client itself is in
 * {@code clients}, written through ClientDirectory, which the authorize and token legs read.
 */
@ApplicationScoped
public class RegistrationStore {

    /**
     * A client as management sees it.
     *
     * @param issuedAt epoch seconds the client was created ({@code client_id_issued_at})
     * @param record   empty for a client that was not registered dynamically (the realm file declares it)
     */
    public record Managed(long issuedAt, Optional<Record> record) {
    }

    /** @param accessTokenHash SHA-256 of the current registration access token */
    public record Record(byte[] accessTokenHash, TokenEndpointAuthMethod authMethod) {
    }

    /** The client's creation time and registration record, if the client exists. */
    public Uni<Optional<Managed>> find(SqlClient client, String clientId) {
        return client.preparedQuery("""
                SELECT extract(epoch FROM c.created_at)::bigint, r.access_token_hash, r.token_endpoint_auth_method
                FROM clients c LEFT JOIN client_registrations r ON r.client_id = c.client_id WHERE c.client_id = $1""")
                .execute(Tuple.of(clientId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(read(rows.iterator().next())));
    }

    public Uni<Void> insert(SqlClient transaction, String clientId, byte[] accessTokenHash, TokenEndpointAuthMethod method) {
        return transaction.preparedQuery("""
                INSERT INTO client_registrations (client_id, access_token_hash, token_endpoint_auth_method) VALUES ($1, $2, $3)""")
                .execute(Tuple.of(clientId, bytea(accessTokenHash), method.value()))
                .replaceWithVoid();
    }

    /**
     * Replaces the token hash and method if the stored hash is still {@code expectedHash}, and locks the row for the
     * rest of the transaction: false when another request rotated the token or deleted the client meanwhile.
     */
    public Uni<Boolean> replace(SqlClient transaction, String clientId, byte[] expectedHash, byte[] newHash,
            TokenEndpointAuthMethod method) {
        return transaction.preparedQuery("""
                UPDATE client_registrations SET access_token_hash = $3, token_endpoint_auth_method = $4, updated_at = now()
                WHERE client_id = $1 AND access_token_hash = $2""")
                .execute(Tuple.of(clientId, bytea(expectedHash), bytea(newHash), method.value()))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Locks the registration if its token hash is still {@code expectedHash}; false when it changed or is gone. */
    public Uni<Boolean> lock(SqlClient transaction, String clientId, byte[] expectedHash) {
        return transaction.preparedQuery("""
                SELECT 1 FROM client_registrations WHERE client_id = $1 AND access_token_hash = $2 FOR UPDATE""")
                .execute(Tuple.of(clientId, bytea(expectedHash)))
                .map(rows -> rows.size() == 1);
    }

    /** The core Buffer: the Mutiny wrapper is not encoded as a parameter. */
    private static io.vertx.core.buffer.Buffer bytea(byte[] bytes) {
        return io.vertx.core.buffer.Buffer.buffer(bytes);
    }

    private static Managed read(Row row) {
        Buffer hash = row.getBuffer(1);
        Optional<Record> record = hash == null ? Optional.empty() : Optional.of(new Record(hash.getBytes(),
                TokenEndpointAuthMethod.of(row.getString(2)).orElseThrow(() -> new IllegalStateException(
                        "client_registrations holds an unknown token_endpoint_auth_method " + row.getString(2)))));
        return new Managed(row.getLong(0), record);
    }
}
