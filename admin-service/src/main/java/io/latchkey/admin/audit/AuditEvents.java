package io.latchkey.admin.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.model.directory.DirectoryCalls;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the audit trail a page at a time, newest first: keyset pagination on id (V4__audit.sql has an index per
 * filter column ending in id), one row more than the page to know whether another follows.
 */
@ApplicationScoped
public class AuditEvents {

    private static final TypeReference<Map<String, Object>> DETAILS = new TypeReference<>() {
    };

    /** One event as GET /admin/events shows it. */
    public record Event(long id, String occurredAt, String type, String actor, String subject, String clientId,
            Map<String, Object> details) {
    }

    /** A page of events and the cursor of the next one, null on the last page. */
    public record Page(List<Event> events, String next) {
    }

    private final Pool pool;
    private final DirectoryCalls calls;
    private final ObjectMapper json;

    public AuditEvents(Pool pool, DirectoryCalls calls, ObjectMapper json) {
        this.pool = pool;
        this.calls = calls;
        this.json = json;
    }

    public Uni<Page> find(EventQuery query) {
        List<Object> arguments = new ArrayList<>();
        String sql = "SELECT id, occurred_at, type, actor, subject, client_id, details::text FROM audit_events"
                + query.where(arguments) + " ORDER BY id DESC LIMIT " + (query.limit() + 1);
        return calls.guard(pool.preparedQuery(sql).execute(Tuple.from(arguments))).map(rows -> {
            List<Event> events = new ArrayList<>(query.limit());
            boolean more = false;
            for (Row row : rows) {
                if (events.size() == query.limit()) {
                    more = true;
                    break;
                }
                events.add(read(row));
            }
            return new Page(events, more ? EventCursor.after(events.get(events.size() - 1).id()) : null);
        });
    }

    private Event read(Row row) {
        return new Event(row.getLong(0),
                row.getOffsetDateTime(1).withOffsetSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                row.getString(2), row.getString(3), row.getString(4), row.getString(5), details(row.getString(6)));
    }

    private Map<String, Object> details(String text) {
        try {
            return json.readValue(text, DETAILS);
        } catch (JsonProcessingException e) {
            // jsonb is valid JSON by construction; a non-object (written by hand) is shown under one key.
            return Map.of("value", text);
        }
    }
}
