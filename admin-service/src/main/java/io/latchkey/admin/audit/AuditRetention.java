package io.latchkey.admin.audit;

import io.latchkey.model.audit.AuditConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Deletes audit rows older than {@code latchkey.audit.retention}, every {@code latchkey.audit.retention-interval}
 * (the first time a minute after start-up). Each batch of at most {@code retention-batch-size} rows is one
 * transaction that first takes a PostgreSQL advisory lock without waiting: while one replica deletes, the others'
 * runs end at once, and no statement holds row locks, WAL or a connection for long. Everything is on the reactive
 * pool: the timer fires on the event loop and never blocks it.
 */
@ApplicationScoped
public class AuditRetention {

    /** pg_try_advisory_xact_lock key of the retention run: "lkaudit" as a number. */
    static final long LOCK = 0x6c6b6175646974L;
    private static final Duration FIRST_RUN = Duration.ofMinutes(1);
    private static final String DELETE = """
            DELETE FROM audit_events WHERE id IN (
                SELECT id FROM audit_events WHERE occurred_at < $1 ORDER BY occurred_at LIMIT $2)""";
    private static final Logger LOG = Logger.getLogger(AuditRetention.class);

    private final Pool pool;
    private final Vertx vertx;
    private final AuditConfig config;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile long timer = -1;

    public AuditRetention(Pool pool, Vertx vertx, AuditConfig config) {
        this.pool = pool;
        this.vertx = vertx;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        timer = vertx.setTimer(FIRST_RUN.toMillis(), first -> {
            run();
            timer = vertx.setPeriodic(config.retentionInterval().toMillis(), next -> run());
        });
    }

    void onStop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
    }

    private void run() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        purge().eventually(() -> running.set(false)).subscribe().with(
                deleted -> {
                    if (deleted > 0) {
                        LOG.infof("Deleted %d audit events older than %s", deleted, config.retention());
                    }
                },
                failure -> LOG.warnf("Audit retention did not run: %s", failure.toString()));
    }

    /** Deletes every row past the retention, batch by batch; how many this replica deleted. */
    public Uni<Long> purge() {
        OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(config.retention());
        return batches(cutoff, 0);
    }

    private Uni<Long> batches(OffsetDateTime cutoff, long deletedSoFar) {
        int size = config.retentionBatchSize();
        return pool.withTransaction(tx -> tx.query("SELECT pg_try_advisory_xact_lock(" + LOCK + ")").execute()
                .flatMap(locked -> !locked.iterator().next().getBoolean(0)
                        // Another replica is deleting: it will finish the job.
                        ? Uni.createFrom().item(-1)
                        // A batch that cannot finish in time is a sign of trouble, not something to wait on.
                        : tx.query("SET LOCAL statement_timeout = '60s'").execute()
                                .flatMap(x -> tx.preparedQuery(DELETE).execute(Tuple.of(cutoff, size)))
                                .map(rows -> rows.rowCount())))
                .flatMap(deleted -> deleted < 0 ? Uni.createFrom().item(deletedSoFar)
                        : deleted < size ? Uni.createFrom().item(deletedSoFar + deleted)
                        : batches(cutoff, deletedSoFar + deleted));
    }
}
