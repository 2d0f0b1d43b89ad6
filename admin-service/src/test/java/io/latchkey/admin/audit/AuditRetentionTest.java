package io.latchkey.admin.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestPostgres;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Retention (90 days by default): older rows go, in batches (5 here), recent rows stay; while another replica holds
 * the retention lock this one deletes nothing; and the table still refuses UPDATE.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class AuditRetentionTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    AuditRetention retention;

    @Test
    void purgeThenRowsPastRetentionDeletedInBatchesAndRecentKept() {
        String actor = rows(12, 100, 3, 80);

        retention.purge().await().atMost(WAIT);

        assertThat(count(actor, "occurred_at < now() - interval '90 days'")).isZero();
        assertThat(count(actor, "true")).isEqualTo(3);
    }

    @Test
    void purgeWhenAnotherReplicaHoldsTheLockThenNothingDeletedHereUntilItIsFree() throws Exception {
        String actor = rows(7, 120, 0, 0);
        try (Connection other = TestPostgres.get().connect(); Statement s = other.createStatement()) {
            other.setAutoCommit(false);
            s.execute("SELECT pg_advisory_xact_lock(" + AuditRetention.LOCK + ")");

            assertThat(retention.purge().await().atMost(WAIT)).isZero();
            assertThat(count(actor, "true")).isEqualTo(7);
            other.rollback();
        }
        assertThat(retention.purge().await().atMost(WAIT)).isGreaterThanOrEqualTo(7);
        assertThat(count(actor, "true")).isZero();
    }

    @Test
    void updateIsStillRefusedByTheAppendOnlyTrigger() {
        String actor = rows(0, 0, 1, 1);
        assertThatThrownBy(() -> TestPostgres.get().execute(
                "UPDATE audit_events SET type = 'login.succeeded' WHERE actor = '" + actor + "'"))
                .hasMessageContaining("append-only");
        assertThat(count(actor, "type = 'login.failed'")).isEqualTo(1);
    }

    /** {@code old} rows {@code oldDays} days old and {@code recent} rows {@code recentDays} old, of a new actor. */
    private static String rows(int old, int oldDays, int recent, int recentDays) {
        String actor = "client:retention-" + UUID.randomUUID();
        insert(actor, old, oldDays);
        insert(actor, recent, recentDays);
        return actor;
    }

    private static void insert(String actor, int count, int days) {
        if (count > 0) {
            TestPostgres.get().execute("INSERT INTO audit_events (occurred_at, type, actor) SELECT now() - interval '" + days
                    + " days', 'login.failed', '" + actor + "' FROM generate_series(1, " + count + ")");
        }
    }

    private static long count(String actor, String condition) {
        return Long.parseLong(TestPostgres.get().queryOne(
                "SELECT count(*) FROM audit_events WHERE actor = '" + actor + "' AND " + condition));
    }
}
