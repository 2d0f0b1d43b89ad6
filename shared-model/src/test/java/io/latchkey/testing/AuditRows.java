package io.latchkey.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The {@code audit_events} rows of the {@link TestPostgres}, as tests of any service read them: protocol events are
 * stored a moment after the request that caused them, so a test marks where it starts ({@link #mark}) and waits for
 * the rows it expects after that mark.
 */
public final class AuditRows {

    /** One stored event; {@code details} as the JSON text PostgreSQL prints. */
    public record Row(long id, String type, String actor, String subject, String clientId, String details) {
    }

    private AuditRows() {
    }

    /** The id of the newest row now; later rows are newer events. */
    public static long mark() {
        String max = TestPostgres.get().queryOne("SELECT coalesce(max(id), 0) FROM audit_events");
        return Long.parseLong(max);
    }

    /** Rows after the mark, oldest first. */
    public static List<Row> after(long mark) {
        try (Connection c = TestPostgres.get().connect(); PreparedStatement s = c.prepareStatement(
                "SELECT id, type, actor, subject, client_id, details::text FROM audit_events WHERE id > ? ORDER BY id")) {
            s.setLong(1, mark);
            List<Row> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(new Row(r.getLong(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5), r.getString(6)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits up to {@code within} for rows after the mark of which {@code count} match; returns those. */
    public static List<Row> await(long mark, Predicate<Row> match, int count, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            List<Row> found = after(mark).stream().filter(match).toList();
            if (found.size() >= count || System.nanoTime() > deadline) {
                return found;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return found;
            }
        }
    }
}
