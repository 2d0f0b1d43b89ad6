package io.latchkey.admin.audit;

import io.latchkey.admin.auth.AdminScope;
import io.latchkey.admin.auth.RequiresScope;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GET /admin/events: the audit trail, newest first, filtered by type (one or several), actor, subject, client_id and
 * an occurred_at range, a page of {@code limit} events at a time with an opaque {@code next} cursor
 * (docs/admin/audit.md).
 */
@Path("/admin/events")
@RequiresScope(AdminScope.AUDIT)
public class AuditEventsResource {

    private final AuditEvents events;

    public AuditEventsResource(AuditEvents events) {
        this.events = events;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> list(@Context UriInfo uri) {
        EventQuery query = EventQuery.from(uri.getQueryParameters(true));
        return events.find(query).map(page -> Response.ok(body(page)).header("Cache-Control", "no-store").build());
    }

    /** The wire names are snake_case, as in the table and the log line. */
    private static Map<String, Object> body(AuditEvents.Page page) {
        List<Map<String, Object>> events = page.events().stream().map(e -> {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("id", e.id());
            event.put("occurred_at", e.occurredAt());
            event.put("type", e.type());
            event.put("actor", e.actor());
            event.put("subject", e.subject());
            event.put("client_id", e.clientId());
            event.put("details", e.details());
            return event;
        }).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("events", events);
        body.put("next", page.next());
        return body;
    }
}
