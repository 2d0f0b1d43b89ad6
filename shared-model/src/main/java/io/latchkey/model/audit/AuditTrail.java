package io.latchkey.model.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.model.directory.DirectoryCalls;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Writes security events to the append-only {@code audit_events} table and as log lines of the category
 * {@code latchkey.audit} (one JSON object per event when JSON logs are on).
 *
 * <p>An admin change records its event in the change's own transaction ({@link #record}): both commit or neither.
 * A protocol event ({@link #emit}) never holds up or fails the request that caused it: its log line is written at
 * once and its row as soon as PostgreSQL takes it.
 */
@ApplicationScoped
public class AuditTrail {

    private static final Logger LOG = Logger.getLogger("latchkey.audit");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** details as text cast to jsonb: a String bound straight to jsonb is stored as one JSON string, not an object. */
    private static final String INSERT =
            "INSERT INTO audit_events (type, actor, subject, client_id, details) VALUES ($1, $2, $3, $4, $5::text::jsonb)";

    private final Pool pool;
    private final DirectoryCalls calls;

    public AuditTrail(Pool pool, DirectoryCalls calls) {
        this.pool = pool;
        this.calls = calls;
    }

    /** Inserts the event in the caller's transaction; call {@link #log} once it committed. */
    public Uni<Void> record(SqlClient transaction, AuditEvent event) {
        return transaction.preparedQuery(INSERT).execute(row(event)).replaceWithVoid();
    }

    /** The event's log line. */
    public void log(AuditEvent event) {
        LOG.info(json(event));
    }

    /** A protocol event: logged now, stored without making the caller wait or fail. */
    public void emit(AuditEvent event) {
        log(event);
        calls.guard(pool.preparedQuery(INSERT).execute(row(event))).subscribe().with(
                rows -> { },
                failure -> LOG.warnf("Audit event %s not stored: %s", event.type().value(), failure.getMessage()));
    }

    private static Tuple row(AuditEvent event) {
        return Tuple.of(event.type().value(), event.actor(), event.subject(), event.clientId(), details(event));
    }

    private static String details(AuditEvent event) {
        try {
            return JSON.writeValueAsString(event.details());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit details are not JSON", e);
        }
    }

    static String json(AuditEvent event) {
        var line = new java.util.LinkedHashMap<String, Object>();
        line.put("event", event.type().value());
        line.put("actor", event.actor());
        line.put("subject", event.subject());
        line.put("client_id", event.clientId());
        line.put("details", event.details());
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit event is not JSON", e);
        }
    }
}
