package io.latchkey.model.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The audit trail's bounds (docs/admin/audit.md): how much waits for PostgreSQL, and how long rows are kept. */
@ConfigMapping(prefix = "latchkey.audit")
public interface AuditConfig {

    /**
     * Protocol events waiting for PostgreSQL, at most. Past it an event is only logged and counted as
     * {@code latchkey_audit_events_dropped_total{reason="queue-full"}}: an outage costs bounded memory, never the
     * request. 10000 events are a few MiB and minutes of logins at a busy site.
     */
    @WithDefault("10000")
    int queueSize();

    /** Rows one INSERT round trip writes; the writer keeps one round trip in flight. */
    @WithDefault("200")
    int batchSize();

    /**
     * How long a row is kept before admin-service deletes it. 90 days: the three months of history PCI DSS
     * (10.5.1) asks to be at hand for analysis; the log lines, shipped to the log store, are the longer record.
     */
    @WithDefault("2160h")
    Duration retention();

    /** How often admin-service looks for rows past the retention. */
    @WithDefault("1h")
    Duration retentionInterval();

    /** Rows one retention transaction deletes, so that no statement holds locks or WAL for long. */
    @WithDefault("5000")
    int retentionBatchSize();
}
