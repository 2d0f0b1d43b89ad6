package io.latchkey.model.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.model.directory.DirectoryCalls;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Writes security events to the append-only {@code audit_events} table and as log lines of the category
 * {@code latchkey.audit}. Each line carries the event's fields in the MDC ({@code audit.type}, {@code audit.actor},
 * {@code audit.subject}, {@code audit.client_id}, {@code audit.details.<name>}), which the JSON console format prints
 * as fields of its own a log shipper indexes; the message repeats them for plain-text logs.
 *
 * <p>An admin change records its event in the change's own transaction ({@link #record}): both commit or neither.
 * A protocol event ({@link #emit}) never holds up or fails the request that caused it: its log line is written at
 * once, and its row joins a bounded queue that one writer drains in batches, one round trip in flight. While
 * PostgreSQL is down or slow the writer retries the same batch with a growing pause (at most 2 s) and the queue
 * fills; once full, further events are only logged and counted as {@code latchkey_audit_events_dropped_total}.
 * A row keeps the time its event happened, however late it is stored. A retried batch whose first attempt did
 * commit unseen (the answer was lost) is stored twice: the trail errs towards duplicates, never towards gaps.
 */
@ApplicationScoped
public class AuditTrail {

    /** The log category of the events; operators route it (docs/admin/audit.md). */
    public static final String CATEGORY = "latchkey.audit";
    /** Prefix of the MDC keys of an event's log line. */
    public static final String MDC_PREFIX = "audit.";

    private static final Logger LOG = Logger.getLogger(CATEGORY);
    private static final Logger PROBLEMS = Logger.getLogger(AuditTrail.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    // The details go as text, cast by PostgreSQL: the client would send a Java String bound to jsonb as a JSON string.
    private static final String INSERT =
            "INSERT INTO audit_events (type, actor, subject, client_id, details) VALUES ($1, $2, $3, $4, $5::text::jsonb)";
    private static final String INSERT_AT = "INSERT INTO audit_events (occurred_at, type, actor, subject, client_id, details)"
            + " VALUES ($1, $2, $3, $4, $5, $6::text::jsonb)";
    private static final java.util.regex.Pattern CONTROL = java.util.regex.Pattern.compile("\\p{Cntrl}");
    private static final Duration FIRST_PAUSE = Duration.ofMillis(100);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(2);

    /** An event waiting for its row, with the moment it happened. */
    private record Pending(AuditEvent event, OffsetDateTime occurredAt) {
    }

    private final Pool pool;
    private final DirectoryCalls calls;
    private final int capacity;
    private final int batchSize;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    /** Events queued or in the batch being written: what the capacity bounds. */
    private final AtomicInteger held = new AtomicInteger();
    /** Whether the one writer is running (a batch in flight or waiting to be retried). */
    private final AtomicBoolean writing = new AtomicBoolean();
    private final Counter droppedFull;
    private final Counter droppedRejected;
    private final Counter stored;

    public AuditTrail(Pool pool, DirectoryCalls calls, AuditConfig config) {
        this.pool = pool;
        this.calls = calls;
        this.capacity = config.queueSize();
        this.batchSize = config.batchSize();
        this.droppedFull = dropped("queue-full");
        this.droppedRejected = dropped("rejected");
        this.stored = Counter.builder("latchkey.audit.events.stored")
                .description("Protocol audit events stored in PostgreSQL").register(Metrics.globalRegistry);
        Gauge.builder("latchkey.audit.events.pending", held, AtomicInteger::get)
                .description("Protocol audit events logged and waiting to be stored").register(Metrics.globalRegistry);
    }

    /** Inserts the event in the caller's transaction; call {@link #log} once it committed. */
    public Uni<Void> record(SqlClient transaction, AuditEvent event) {
        return transaction.preparedQuery(INSERT).execute(Tuple.of(event.type().value(), event.actor(), event.subject(),
                event.clientId(), details(event))).replaceWithVoid();
    }

    /** The event's log line, its fields in the MDC for the JSON format. */
    public void log(AuditEvent event) {
        Map<String, String> fields = fields(event);
        fields.forEach(MDC::put);
        try {
            LOG.info(text(event));
        } finally {
            fields.keySet().forEach(MDC::remove);
        }
    }

    /**
     * A protocol event: logged now, stored without making the caller wait or fail. Returns at once whatever
     * PostgreSQL does; never throws.
     */
    public void emit(AuditEvent event) {
        try {
            log(event);
            if (held.incrementAndGet() > capacity) {
                held.decrementAndGet();
                droppedFull.increment();
                return;
            }
            queue.add(new Pending(event, OffsetDateTime.now(ZoneOffset.UTC)));
            drain();
        } catch (RuntimeException e) {
            PROBLEMS.warnf("Audit event %s not recorded: %s", event.type().value(), e.toString());
        }
    }

    /** Events logged and not stored yet (queued or being written). */
    public int pending() {
        return held.get();
    }

    /** Starts the writer unless it runs; it takes the next batch, if any. */
    private void drain() {
        while (!queue.isEmpty() && writing.compareAndSet(false, true)) {
            List<Pending> batch = new ArrayList<>(batchSize);
            Pending next;
            while (batch.size() < batchSize && (next = queue.poll()) != null) {
                batch.add(next);
            }
            if (!batch.isEmpty()) {
                write(batch, FIRST_PAUSE);
                return;
            }
            // Another thread's poll emptied the queue between the check and the poll: look again.
            writing.set(false);
        }
    }

    private void write(List<Pending> batch, Duration pause) {
        List<Tuple> rows = batch.stream().map(p -> Tuple.of(p.occurredAt(), p.event().type().value(), p.event().actor(),
                p.event().subject(), p.event().clientId(), details(p.event()))).toList();
        // One pipelined batch in one implicit transaction: all of it is stored or none.
        calls.guard(pool.preparedQuery(INSERT_AT).executeBatch(rows)).subscribe().with(
                result -> finished(batch, stored),
                failure -> {
                    if (outage(failure)) {
                        Duration longer = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
                        Uni.createFrom().voidItem().onItem().delayIt().by(pause)
                                .subscribe().with(x -> write(batch, longer));
                    } else {
                        PROBLEMS.warnf("%d audit events refused by PostgreSQL, kept only in the log: %s", batch.size(), failure.toString());
                        finished(batch, droppedRejected);
                    }
                });
    }

    private void finished(List<Pending> batch, Counter outcome) {
        outcome.increment(batch.size());
        held.addAndGet(-batch.size());
        writing.set(false);
        drain();
    }

    /**
     * PostgreSQL out of reach, slow, starting, out of connections or resources: worth retrying. Any other answer
     * refuses these rows whenever they are sent, so retrying would stall the trail.
     */
    private static boolean outage(Throwable failure) {
        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof PgException pg && pg.getSqlState() != null) {
            String state = pg.getSqlState();
            return state.startsWith("08") || state.startsWith("53") || state.startsWith("57") || state.startsWith("40");
        }
        return !(failure instanceof PgException);
    }

    private static Counter dropped(String reason) {
        return Counter.builder("latchkey.audit.events.dropped")
                .description("Protocol audit events only logged, never stored in PostgreSQL")
                .tag("reason", reason).register(Metrics.globalRegistry);
    }

    private static String details(AuditEvent event) {
        try {
            return JSON.writeValueAsString(event.details());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit details are not JSON", e);
        }
    }

    /** The MDC fields of an event's line: details flattened one level, a list or map value as its JSON. */
    static Map<String, String> fields(AuditEvent event) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(MDC_PREFIX + "type", event.type().value());
        put(fields, "actor", event.actor());
        put(fields, "subject", event.subject());
        put(fields, "client_id", event.clientId());
        event.details().forEach((name, value) -> put(fields, "details." + name, value));
        return fields;
    }

    private static void put(Map<String, String> fields, String name, Object value) {
        if (value == null) {
            return;
        }
        String text;
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            text = value.toString();
        } else {
            try {
                text = JSON.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                text = value.toString();
            }
        }
        fields.put(MDC_PREFIX + name, text);
    }

    /** The message: the same fields as {@code name=value} words, for plain-text logs. */
    static String text(AuditEvent event) {
        StringBuilder line = new StringBuilder(event.type().value());
        fields(event).forEach((name, value) -> {
            if (!name.equals(MDC_PREFIX + "type")) {
                // A control character in a value (a typed username) must not start a forged line.
                line.append(' ').append(name, MDC_PREFIX.length(), name.length()).append('=')
                        .append(CONTROL.matcher(value).replaceAll("?"));
            }
        });
        return line.toString();
    }
}
