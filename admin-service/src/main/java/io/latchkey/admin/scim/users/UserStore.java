package io.latchkey.admin.scim.users;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.admin.scim.web.ScimBodies;
import io.latchkey.model.store.StoreException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of SCIM users over {@code users}, {@code credentials} and the group tables. Every method runs on the
 * client it is given (the pool, or the transaction of a change), so a change and its audit event commit together.
 */
@ApplicationScoped
public class UserStore {

    /** The columns a {@link UserRow} is read from, in order; {@code u} is {@code users}. */
    static final String COLUMNS = """
            u.id, u.username, u.status, u.external_id, u.version, u.created_at, u.updated_at, u.scim::text, u.claims::text,
            (SELECT coalesce(json_agg(json_build_object('value', g.id, 'display', g.display_name) ORDER BY g.display_name, g.id), '[]')::text
             FROM scim_group_members m JOIN scim_groups g ON g.id = m.group_id WHERE m.user_id = u.id)""";

    public Uni<Optional<UserRow>> find(SqlClient client, String id, boolean lock) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM users u WHERE u.id = $1" + (lock ? " FOR UPDATE OF u" : ""))
                .execute(Tuple.of(id))
                .map(UserStore::first);
    }

    public Uni<Void> insert(SqlClient tx, String id, UserDocument.Written user, String canonical, ObjectNode claims) {
        return tx.preparedQuery("""
                        INSERT INTO users (id, username, username_canonical, status, claims, scim, external_id)
                        VALUES ($1, $2, $3, $4, $5::text::jsonb, $6::text::jsonb, $7)""")
                .execute(Tuple.from(List.of(id, user.userName(), canonical, status(user.active() == null || user.active()),
                        ScimBodies.write(claims), ScimBodies.write(user.scim()))).addString(user.externalId()))
                .replaceWithVoid();
    }

    /** Replaces the user's SCIM-written columns and raises the version. */
    public Uni<Void> update(SqlClient tx, String id, UserDocument.Written user, boolean active, String canonical,
            ObjectNode claims) {
        return tx.preparedQuery("""
                        UPDATE users SET username = $2, username_canonical = $3, status = $4, claims = $5::text::jsonb,
                            scim = $6::text::jsonb, external_id = $7, version = version + 1, updated_at = now()
                        WHERE id = $1""")
                .execute(Tuple.from(List.of(id, user.userName(), canonical, status(active), ScimBodies.write(claims),
                        ScimBodies.write(user.scim()))).addString(user.externalId()))
                .replaceWithVoid();
    }

    /** The password credential; the hash only, computed by the caller off the event loop. */
    public Uni<Void> setPassword(SqlClient tx, String id, String hash) {
        return tx.preparedQuery("""
                        INSERT INTO credentials (user_id, type, secret) VALUES ($1, 'password', $2)
                        ON CONFLICT (user_id) WHERE type = 'password' DO UPDATE SET secret = excluded.secret""")
                .execute(Tuple.of(id, hash)).replaceWithVoid();
    }

    public Uni<Boolean> delete(SqlClient tx, String id) {
        return tx.preparedQuery("DELETE FROM users WHERE id = $1").execute(Tuple.of(id)).map(rows -> rows.rowCount() == 1);
    }

    /**
     * A page of users matching a WHERE condition (parameterised: its values are in {@code parameters}, numbered
     * from $1), in {@code orderBy} order; the id breaks ties so that pages do not overlap.
     */
    public Uni<List<UserRow>> page(SqlClient client, String where, List<Object> parameters, String orderBy, int offset,
            int limit) {
        List<Object> values = new ArrayList<>(parameters);
        values.add(limit);
        values.add(offset);
        String sql = "SELECT " + COLUMNS + " FROM users u WHERE " + where + " ORDER BY " + orderBy + ", u.id"
                + " LIMIT $" + (parameters.size() + 1) + " OFFSET $" + (parameters.size() + 2);
        return client.preparedQuery(sql).execute(Tuple.from(values)).map(rows -> {
            List<UserRow> page = new ArrayList<>();
            rows.forEach(row -> page.add(read(row)));
            return page;
        });
    }

    public Uni<Long> count(SqlClient client, String where, List<Object> parameters) {
        return client.preparedQuery("SELECT count(*) FROM users u WHERE " + where).execute(Tuple.from(parameters))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Which of these ids are users (for group members). */
    public Uni<List<String>> existing(SqlClient client, List<String> ids) {
        return client.preparedQuery("SELECT id FROM users WHERE id = ANY($1)").execute(Tuple.of(ids.toArray(String[]::new)))
                .map(rows -> {
                    List<String> found = new ArrayList<>();
                    rows.forEach(row -> found.add(row.getString(0)));
                    return found;
                });
    }

    static String status(boolean active) {
        return active ? "active" : "disabled";
    }

    private static Optional<UserRow> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(read(rows.iterator().next()));
    }

    static UserRow read(Row row) {
        String id = row.getString(0);
        try {
            return new UserRow(id, row.getString(1), "active".equals(row.getString(2)), row.getString(3), row.getLong(4),
                    row.getOffsetDateTime(5), row.getOffsetDateTime(6),
                    (ObjectNode) ScimBodies.MAPPER.readTree(row.getString(7)),
                    (ObjectNode) ScimBodies.MAPPER.readTree(row.getString(8)),
                    (ArrayNode) ScimBodies.MAPPER.readTree(row.getString(9)));
        } catch (JsonProcessingException | ClassCastException e) {
            throw StoreException.corrupt("users/" + id, e);
        }
    }
}
