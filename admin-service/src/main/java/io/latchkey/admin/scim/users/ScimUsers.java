package io.latchkey.admin.scim.users;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.admin.scim.ScimConflicts;
import io.latchkey.admin.scim.ScimException;
import io.latchkey.admin.scim.filter.Filter;
import io.latchkey.admin.scim.filter.FilterParser;
import io.latchkey.admin.scim.filter.SqlFilter;
import io.latchkey.admin.scim.filter.SqlFragment;
import io.latchkey.admin.scim.schema.ResourceInput;
import io.latchkey.admin.scim.schema.ScimSchemas;
import io.latchkey.admin.scim.web.ETags;
import io.latchkey.admin.scim.web.ListRequest;
import io.latchkey.admin.scim.web.Page;
import io.latchkey.model.audit.AuditEvent;
import io.latchkey.model.audit.AuditEventType;
import io.latchkey.model.audit.AuditTrail;
import io.latchkey.model.directory.DirectoryCalls;
import io.latchkey.model.domain.Usernames;
import io.latchkey.model.password.PasswordHasher;
import io.latchkey.model.password.PasswordWorkers;
import io.latchkey.model.store.SubjectGrants;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The changes SCIM makes to users, each one PostgreSQL transaction with its audit events. A password is hashed on
 * the {@link PasswordWorkers} (never on the event loop; a full pool is 503 with Retry-After) and never leaves this
 * class but as its hash. A user that ends up disabled or deleted loses every SSO session and refresh family at
 * once ({@link SubjectGrants#endAll}): before the commit, so that a Redis failure undoes the change and the client's
 * retry ends them, and again after it, for a login that slipped in between.
 */
@ApplicationScoped
public class ScimUsers {

    private static final Logger LOG = Logger.getLogger(ScimUsers.class);
    private static final SqlFilter SQL = new SqlFilter(ScimSchemas.USER_TYPE, UserColumns.INSTANCE);

    private final Pool pool;
    private final DirectoryCalls calls;
    private final UserStore store;
    private final AuditTrail audit;
    private final PasswordHasher hasher;
    private final PasswordWorkers workers;
    private final SubjectGrants grants;

    public ScimUsers(Pool pool, DirectoryCalls calls, UserStore store, AuditTrail audit, PasswordHasher hasher,
            PasswordWorkers workers, SubjectGrants grants) {
        this.pool = pool;
        this.calls = calls;
        this.store = store;
        this.audit = audit;
        this.hasher = hasher;
        this.workers = workers;
        this.grants = grants;
    }

    public Uni<UserRow> find(String id) {
        return calls.guard(store.find(pool, id, false)).map(found -> found.orElseThrow(() -> notFound(id)));
    }

    /** A page of the users a query selects, and how many it selects in all. */
    public Uni<Page<UserRow>> list(ListRequest request) {
        List<Object> parameters = new ArrayList<>();
        List<String> conditions = new ArrayList<>();
        if (request.filter() != null) {
            Filter filter = FilterParser.parse(request.filter());
            conditions.addAll(UserColumns.indexHints(filter, parameters));
            SqlFragment where = SQL.where(filter, parameters.size() + 1);
            conditions.add(where.sql());
            parameters.addAll(where.parameters());
        }
        String where = conditions.isEmpty() ? "TRUE" : String.join(" AND ", conditions);
        String order = request.sortBy() == null ? "u.created_at" : SQL.orderBy(request.sortBy(), request.sortOrder());
        Uni<Long> total = calls.guard(store.count(pool, where, parameters));
        if (request.count() == 0) {
            return total.map(n -> new Page<>(n, List.of()));
        }
        return total.flatMap(n -> n < request.startIndex() ? Uni.createFrom().item(new Page<UserRow>(n, List.of()))
                : calls.guard(store.page(pool, where, parameters, order, request.startIndex() - 1, request.count()))
                        .map(rows -> new Page<>(n, rows)));
    }

    public Uni<UserRow> create(ObjectNode sent, String actor) {
        UserDocument.Written user = UserDocument.read(ResourceInput.forCreate(ScimSchemas.USER_TYPE, sent));
        String canonical = canonical(user.userName());
        // The server assigns the id (RFC 7644 §3.3); one a client sent is ignored.
        String id = UUID.randomUUID().toString();
        return hash(user.password()).flatMap(hash -> change(tx -> {
            List<AuditEvent> events = new ArrayList<>();
            events.add(AuditEvent.of(AuditEventType.USER_CREATED, actor, id, null).with("active", user.active() == null || user.active()));
            Uni<Void> write = store.insert(tx, id, user, canonical, UserDocument.claims(null, user.scim()));
            if (hash != null) {
                events.add(AuditEvent.of(AuditEventType.PASSWORD_SET, actor, id, null));
                write = write.flatMap(x -> store.setPassword(tx, id, hash));
            }
            return write.flatMap(x -> record(tx, events)).flatMap(x -> store.find(tx, id, false))
                    .map(found -> new Outcome(found.orElseThrow(), events));
        }));
    }

    /** PUT (RFC 7644 §3.5.1): the document replaces the user's; id, meta and groups are read-only and ignored. */
    public Uni<UserRow> replace(String id, ObjectNode sent, String ifMatch, String actor) {
        // The User schema has no immutable attribute, so the body is checked as a creation's is (types, unknown
        // names, readOnly ignored) before the password is hashed and the row locked.
        UserDocument.Written user = UserDocument.read(ResourceInput.forCreate(ScimSchemas.USER_TYPE, sent));
        String canonical = canonical(user.userName());
        return hash(user.password()).flatMap(hash -> change(tx -> store.find(tx, id, true).flatMap(found -> {
            UserRow current = found.orElseThrow(() -> notFound(id));
            ETags.require(ifMatch, current.version());
            return write(tx, current, user, canonical, hash, actor);
        })));
    }

    /**
     * PATCH (RFC 7644 §3.5.2): {@code apply} turns the current representation into the new one; what it yields is
     * written as a replace. A password in it is hashed on the workers while the row stays locked (tens of ms).
     */
    public Uni<UserRow> modify(String id, String ifMatch, String actor, Function<ObjectNode, ObjectNode> apply,
            Function<UserRow, ObjectNode> representation) {
        return change(tx -> store.find(tx, id, true).flatMap(found -> {
            UserRow current = found.orElseThrow(() -> notFound(id));
            ETags.require(ifMatch, current.version());
            ObjectNode patched = apply.apply(representation.apply(current));
            UserDocument.Written user = UserDocument.read(patched);
            String canonical = canonical(user.userName());
            return hash(user.password()).flatMap(hash -> write(tx, current, user, canonical, hash, actor));
        }));
    }

    public Uni<Void> delete(String id, String ifMatch, String actor) {
        return change(tx -> store.find(tx, id, true).flatMap(found -> {
            UserRow current = found.orElseThrow(() -> notFound(id));
            ETags.require(ifMatch, current.version());
            List<AuditEvent> events = List.of(AuditEvent.of(AuditEventType.USER_DELETED, actor, id, null));
            return store.delete(tx, id).flatMap(x -> record(tx, events))
                    .flatMap(x -> grants.endAll(id)).map(x -> new Outcome(current, events));
        })).replaceWithVoid();
    }

    private Uni<Outcome> write(SqlClient tx, UserRow current, UserDocument.Written user, String canonical, String hash,
            String actor) {
        String id = current.id();
        // active omitted from a replace keeps its value: a client that does not manage it must not enable anyone.
        boolean active = user.active() == null ? current.active() : user.active();
        List<AuditEvent> events = new ArrayList<>();
        events.add(AuditEvent.of(AuditEventType.USER_UPDATED, actor, id, null));
        if (current.active() && !active) {
            events.add(AuditEvent.of(AuditEventType.USER_DISABLED, actor, id, null));
        }
        Uni<Void> write = store.update(tx, id, user, active, canonical, UserDocument.claims(current.claims(), user.scim()));
        if (hash != null) {
            events.add(AuditEvent.of(AuditEventType.PASSWORD_SET, actor, id, null));
            write = write.flatMap(x -> store.setPassword(tx, id, hash));
        }
        write = write.flatMap(x -> record(tx, events));
        if (!active) {
            write = write.flatMap(x -> grants.endAll(id)).replaceWithVoid();
        }
        return write.flatMap(x -> store.find(tx, id, false)).map(found -> new Outcome(found.orElseThrow(), events));
    }

    /** A change and its audit events: committed together, logged after, grants ended again for a disabled user. */
    private Uni<UserRow> change(Function<SqlClient, Uni<Outcome>> work) {
        return calls.guard(pool.withTransaction(work::apply))
                .onFailure().transform(ScimConflicts::translate)
                .invoke(outcome -> outcome.events.forEach(audit::log))
                .call(outcome -> outcome.row.active() && outcome.events.stream().noneMatch(e -> e.type() == AuditEventType.USER_DELETED)
                        ? Uni.createFrom().voidItem()
                        : grants.endAll(outcome.row.id()).onFailure().invoke(e -> LOG.warnf(
                                "Grants of %s ended before the commit, not after it: %s", outcome.row.id(), e.getMessage()))
                                .onFailure().recoverWithNull())
                .map(outcome -> outcome.row);
    }

    private record Outcome(UserRow row, List<AuditEvent> events) {
    }

    private Uni<Void> record(SqlClient tx, List<AuditEvent> events) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (AuditEvent event : events) {
            chain = chain.flatMap(x -> audit.record(tx, event));
        }
        return chain;
    }

    private Uni<String> hash(String password) {
        if (password == null) {
            return Uni.createFrom().nullItem();
        }
        return workers.run(() -> hasher.hash(password.toCharArray()));
    }

    private static String canonical(String userName) {
        try {
            return Usernames.canonical(userName);
        } catch (Usernames.InvalidUsernameException e) {
            throw ScimException.badRequest("invalidValue", "userName is " + e.getMessage());
        }
    }

    static ScimException notFound(String id) {
        return ScimException.notFound("No user has the id " + id + ".");
    }
}
