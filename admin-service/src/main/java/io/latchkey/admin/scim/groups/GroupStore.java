package io.latchkey.admin.scim.groups;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.latchkey.admin.scim.web.ScimBodies;
import io.latchkey.model.store.StoreException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The SQL of SCIM groups over {@code scim_groups} and {@code scim_group_members}, on the client it is given. */
@ApplicationScoped
public class GroupStore {

    /** A member's display: the SCIM displayName the user was given, else the name claim, else the userName. */
    static final String COLUMNS = """
            g.id, g.display_name, g.external_id, g.version, g.created_at, g.updated_at,
            (SELECT coalesce(json_agg(json_build_object('value', u.id,
                        'display', coalesce(u.scim ->> 'displayName', u.claims ->> 'name', u.username)) ORDER BY u.id), '[]')::text
             FROM scim_group_members m JOIN users u ON u.id = m.user_id WHERE m.group_id = g.id)""";

    public Uni<Optional<GroupRow>> find(SqlClient client, String id, boolean lock) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM scim_groups g WHERE g.id = $1" + (lock ? " FOR UPDATE OF g" : ""))
                .execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(read(rows.iterator().next())));
    }

    public Uni<Void> insert(SqlClient tx, String id, GroupDocument.Written group) {
        return tx.preparedQuery("INSERT INTO scim_groups (id, display_name, external_id) VALUES ($1, $2, $3)")
                .execute(Tuple.of(id, group.displayName(), group.externalId())).replaceWithVoid();
    }

    public Uni<Void> update(SqlClient tx, String id, GroupDocument.Written group) {
        return tx.preparedQuery("""
                        UPDATE scim_groups SET display_name = $2, external_id = $3, version = version + 1, updated_at = now()
                        WHERE id = $1""")
                .execute(Tuple.of(id, group.displayName(), group.externalId())).replaceWithVoid();
    }

    /** Makes the members exactly these users; returns how many were added and removed. */
    public Uni<int[]> setMembers(SqlClient tx, String id, List<String> userIds) {
        String[] ids = userIds.toArray(String[]::new);
        return tx.preparedQuery("DELETE FROM scim_group_members WHERE group_id = $1 AND NOT (user_id = ANY($2))")
                .execute(Tuple.of(id, ids)).flatMap(removed -> tx.preparedQuery("""
                                INSERT INTO scim_group_members (group_id, user_id) SELECT $1, unnest($2::text[])
                                ON CONFLICT DO NOTHING""")
                        .execute(Tuple.of(id, ids))
                        .map(added -> new int[] {added.rowCount(), removed.rowCount()}));
    }

    public Uni<Boolean> delete(SqlClient tx, String id) {
        return tx.preparedQuery("DELETE FROM scim_groups WHERE id = $1").execute(Tuple.of(id)).map(rows -> rows.rowCount() == 1);
    }

    /** A page of groups matching a parameterised WHERE condition, as {@code UserStore.page}. */
    public Uni<List<GroupRow>> page(SqlClient client, String where, List<Object> parameters, String orderBy, int offset,
            int limit) {
        List<Object> values = new ArrayList<>(parameters);
        values.add(limit);
        values.add(offset);
        String sql = "SELECT " + COLUMNS + " FROM scim_groups g WHERE " + where + " ORDER BY " + orderBy + ", g.id"
                + " LIMIT $" + (parameters.size() + 1) + " OFFSET $" + (parameters.size() + 2);
        return client.preparedQuery(sql).execute(Tuple.from(values)).map(rows -> {
            List<GroupRow> page = new ArrayList<>();
            rows.forEach(row -> page.add(read(row)));
            return page;
        });
    }

    public Uni<Long> count(SqlClient client, String where, List<Object> parameters) {
        return client.preparedQuery("SELECT count(*) FROM scim_groups g WHERE " + where).execute(Tuple.from(parameters))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    static GroupRow read(Row row) {
        String id = row.getString(0);
        try {
            return new GroupRow(id, row.getString(1), row.getString(2), row.getLong(3), row.getOffsetDateTime(4),
                    row.getOffsetDateTime(5), (ArrayNode) ScimBodies.MAPPER.readTree(row.getString(6)));
        } catch (JsonProcessingException | ClassCastException e) {
            throw StoreException.corrupt("scim_groups/" + id, e);
        }
    }
}
