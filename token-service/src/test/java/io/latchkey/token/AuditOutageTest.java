package io.latchkey.token;

import static io.latchkey.token.Flow.SPA;
import static io.latchkey.token.Flow.assertError;
import static io.latchkey.token.Flow.refresh;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.model.audit.AuditEvent;
import io.latchkey.model.audit.AuditEventType;
import io.latchkey.model.audit.AuditTrail;
import io.latchkey.model.directory.DirectoryChanges;
import io.latchkey.model.store.CodeStore;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestPostgres;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped or frozen under a burst of audit events: every emit returns at once, the token leg answers as
 * before, the queue holds no more than latchkey.audit.queue-size (500 here), the rest is counted as dropped, and
 * what the queue held is stored once PostgreSQL is back.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class AuditOutageTest {

    private static final int CAPACITY = 500;
    private static final int BURST = 2000;

    @Inject
    AuditTrail trail;

    @Inject
    CodeStore codes;

    @Inject
    DirectoryChanges changes;

    @Test
    void burstWhenPostgresStoppedThenEmitsReturnAtOnceTokenLegAnswersAndTheQueuedEventsAreStoredAfterwards() throws Exception {
        DirectoryOutageTest.awaitListener(changes);
        String refreshToken = Flow.spaTokens(codes).path("refresh_token");
        awaitDrained();
        String marker = UUID.randomUUID().toString();
        double droppedBefore = dropped();

        TestPostgres.get().stop();
        try {
            Duration took = burst(marker);
            // One insert waited for would take the 2 s directory deadline; the whole burst takes far less.
            assertThat(took).isLessThan(Duration.ofSeconds(1));
            assertThat(trail.pending()).isEqualTo(CAPACITY);
            assertThat(dropped() - droppedBefore).isEqualTo(BURST - CAPACITY);

            assertTokenLegAnswers(refreshToken);
        } finally {
            TestPostgres.get().start();
        }
        // Settled for the tests after this one: the listener's reconnect empties the directory caches.
        DirectoryOutageTest.awaitListener(changes);
        awaitDrained();
        assertThat(stored(marker)).isEqualTo(CAPACITY);
    }

    @Test
    void burstWhenPostgresFrozenThenEmitsReturnAtOnceAndTokenLegAnswers() throws Exception {
        DirectoryOutageTest.awaitListener(changes);
        String refreshToken = Flow.spaTokens(codes).path("refresh_token");
        awaitDrained();
        String marker = UUID.randomUUID().toString();

        TestPostgres.get().pause();
        try {
            assertThat(burst(marker)).isLessThan(Duration.ofSeconds(1));
            assertThat(trail.pending()).isLessThanOrEqualTo(CAPACITY);
            long started = System.nanoTime();
            assertTokenLegAnswers(refreshToken);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        } finally {
            TestPostgres.get().resume();
        }
        awaitDrained();
        // An insert sent before the freeze commits when PostgreSQL wakes, and its retry again: duplicates, no gaps.
        assertThat(stored(marker)).isGreaterThanOrEqualTo(CAPACITY);
    }

    private Duration burst(String marker) {
        long started = System.nanoTime();
        for (int i = 0; i < BURST; i++) {
            trail.emit(AuditEvent.of(AuditEventType.LOGIN_FAILED, null, null, "burst-test").with("burst", marker));
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** A rotation and a reuse (whose event has no room now) answer as they always do. */
    private static void assertTokenLegAnswers(String refreshToken) {
        Response rotated = refresh(SPA, refreshToken);
        assertThat(rotated.statusCode()).as(rotated.asString()).isEqualTo(200);
        assertError(refresh(SPA, refreshToken), 400, "invalid_grant");
    }

    private void awaitDrained() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (trail.pending() > 0) {
            assertThat(System.nanoTime()).as("audit queue drained in time").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static long stored(String marker) {
        return Long.parseLong(TestPostgres.get().queryOne(
                "SELECT count(*) FROM audit_events WHERE details->>'burst' = '" + marker + "'"));
    }

    private static double dropped() {
        Counter counter = Metrics.globalRegistry.find("latchkey.audit.events.dropped").tag("reason", "queue-full").counter();
        return counter == null ? 0 : counter.count();
    }
}
