package io.latchkey.admin.scim.groups;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.admin.scim.ScimConflicts;
import io.latchkey.admin.scim.ScimException;
import io.latchkey.admin.scim.filter.FilterParser;
import io.latchkey.admin.scim.filter.SqlFilter;
import io.latchkey.admin.scim.filter.SqlFragment;
import io.latchkey.admin.scim.schema.ResourceInput;
import io.latchkey.admin.scim.schema.ScimSchemas;
import io.latchkey.admin.scim.users.UserStore;
import io.latchkey.admin.scim.web.ListRequest;
import io.latchkey.admin.scim.web.Page;
import io.latchkey.admin.scim.web.ETags;
import io.latchkey.model.audit.AuditEvent;
import io.latchkey.model.audit.AuditEventType;
import io.latchkey.model.audit.AuditTrail;
import io.latchkey.model.directory.DirectoryCalls;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** The changes SCIM makes to groups, each one transaction with its audit event. */
@ApplicationScoped
public class ScimGroups {

    /** Ids named in one error, at most: a long list of strangers is not worth echoing. */
    private static final int NAMED_MAX = 5;
    private static final SqlFilter SQL = new SqlFilter(ScimSchemas.GROUP_TYPE, GroupColumns.INSTANCE);

    private final Pool pool;
    private final DirectoryCalls calls;
    private final GroupStore store;
    private final UserStore users;
    private final AuditTrail audit;

    public ScimGroups(Pool pool, DirectoryCalls calls, GroupStore store, UserStore users, AuditTrail audit) {
        this.pool = pool;
        this.calls = calls;
        this.store = store;
        this.users = users;
        this.audit = audit;
    }

    public Uni<GroupRow> find(String id) {
        return calls.guard(store.find(pool, id, false)).map(found -> found.orElseThrow(() -> notFound(id)));
    }

    /** A page of the groups a query selects, and how many it selects in all. */
    public Uni<Page<GroupRow>> list(ListRequest request) {
        List<Object> parameters = new ArrayList<>();
        String where = "TRUE";
        if (request.filter() != null) {
            SqlFragment fragment = SQL.where(FilterParser.parse(request.filter()), 1);
            where = fragment.sql();
            parameters.addAll(fragment.parameters());
        }
        String condition = where;
        String order = request.sortBy() == null ? "g.created_at" : SQL.orderBy(request.sortBy(), request.sortOrder());
        Uni<Long> total = calls.guard(store.count(pool, condition, parameters));
        if (request.count() == 0) {
            return total.map(n -> new Page<>(n, List.of()));
        }
        return total.flatMap(n -> n < request.startIndex() ? Uni.createFrom().item(new Page<GroupRow>(n, List.of()))
                : calls.guard(store.page(pool, condition, parameters, order, request.startIndex() - 1, request.count()))
                        .map(rows -> new Page<>(n, rows)));
    }

    public Uni<GroupRow> create(ObjectNode sent, String actor) {
        GroupDocument.Written group = GroupDocument.read(ResourceInput.forCreate(ScimSchemas.GROUP_TYPE, sent));
        String id = UUID.randomUUID().toString();
        return change(tx -> store.insert(tx, id, group)
                .flatMap(x -> members(tx, id, group.members()))
                .map(counts -> AuditEvent.of(AuditEventType.GROUP_CREATED, actor, null, null)
                        .with("group", id).with("members_added", counts[0]))
                .flatMap(event -> finish(tx, id, event)));
    }

    /** PUT: members are replaced as a whole (their immutable sub-attributes name who is a member, not what they hold). */
    public Uni<GroupRow> replace(String id, ObjectNode sent, String ifMatch, String actor) {
        GroupDocument.Written group = GroupDocument.read(ResourceInput.forCreate(ScimSchemas.GROUP_TYPE, sent));
        return change(tx -> locked(tx, id, ifMatch).flatMap(current -> write(tx, id, group, actor)));
    }

    /** PATCH: {@code apply} turns the current representation into the new one, which is written as a replace. */
    public Uni<GroupRow> modify(String id, String ifMatch, String actor, Function<GroupRow, ObjectNode> apply) {
        return change(tx -> locked(tx, id, ifMatch).flatMap(current -> write(tx, id, GroupDocument.read(apply.apply(current)), actor)));
    }

    public Uni<Void> delete(String id, String ifMatch, String actor) {
        return change(tx -> locked(tx, id, ifMatch).flatMap(current -> store.delete(tx, id).replaceWith(new Outcome(current,
                AuditEvent.of(AuditEventType.GROUP_DELETED, actor, null, null).with("group", id))))
                .flatMap(outcome -> audit.record(tx, outcome.event).replaceWith(outcome))).replaceWithVoid();
    }

    private Uni<GroupRow> locked(SqlClient tx, String id, String ifMatch) {
        return store.find(tx, id, true).map(found -> {
            GroupRow current = found.orElseThrow(() -> notFound(id));
            ETags.require(ifMatch, current.version());
            return current;
        });
    }

    private Uni<Outcome> write(SqlClient tx, String id, GroupDocument.Written group, String actor) {
        return store.update(tx, id, group).flatMap(x -> members(tx, id, group.members()))
                .map(counts -> AuditEvent.of(AuditEventType.GROUP_UPDATED, actor, null, null)
                        .with("group", id).with("members_added", counts[0]).with("members_removed", counts[1]))
                .flatMap(event -> finish(tx, id, event));
    }

    /** Members must be users: an id that is not one is 400 invalidValue, naming it. */
    private Uni<int[]> members(SqlClient tx, String id, List<String> members) {
        if (members.isEmpty()) {
            return store.setMembers(tx, id, members);
        }
        return users.existing(tx, members).flatMap(found -> {
            List<String> strangers = new ArrayList<>(members);
            strangers.removeAll(found);
            if (!strangers.isEmpty()) {
                throw ScimException.badRequest("invalidValue", "Not users: "
                        + String.join(", ", strangers.subList(0, Math.min(NAMED_MAX, strangers.size())))
                        + (strangers.size() > NAMED_MAX ? " and " + (strangers.size() - NAMED_MAX) + " more" : "") + ".");
            }
            return store.setMembers(tx, id, members);
        });
    }

    private Uni<Outcome> finish(SqlClient tx, String id, AuditEvent event) {
        return audit.record(tx, event).flatMap(x -> store.find(tx, id, false))
                .map(found -> new Outcome(found.orElseThrow(), event));
    }

    private Uni<GroupRow> change(Function<SqlClient, Uni<Outcome>> work) {
        return calls.guard(pool.withTransaction(work::apply))
                .onFailure().transform(ScimConflicts::translate)
                .invoke(outcome -> audit.log(outcome.event))
                .map(outcome -> outcome.row);
    }

    private record Outcome(GroupRow row, AuditEvent event) {
    }

    static ScimException notFound(String id) {
        return ScimException.notFound("No group has the id " + id + ".");
    }
}
