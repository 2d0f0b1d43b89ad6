package io.latchkey.model.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.domain.ClientType;
import io.latchkey.model.domain.Consent;
import io.latchkey.model.domain.User;
import io.latchkey.model.store.StoreException;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestPostgres;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The directory against a real PostgreSQL: records, uniqueness, transactions, change notifications, outages. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class DirectoryTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String HASH = "$argon2id$v=19$m=1,t=1,p=1$c2FsdA$c2FsdA";

    @Inject
    UserDirectory users;

    @Inject
    ClientDirectory clients;

    @Inject
    ConsentDirectory consents;

    @Inject
    DirectoryChanges changes;

    @Inject
    Pool pool;

    private final String suffix = OpaqueToken.randomId(6).toLowerCase(java.util.Locale.ROOT).replace('-', 'x').replace('_', 'y');

    private void save(User... list) {
        pool.withTransaction(tx -> users.save(tx, List.of(list))).await().atMost(WAIT);
    }

    private ClientRegistration client(String id) {
        ClientRegistration client = new ClientRegistration(id, null, ClientType.PUBLIC, null, List.of("https://app.example/cb"),
                null, List.of("https://app.example"), Set.of("openid"), null, false, null, null, null, null, false);
        pool.withTransaction(tx -> clients.save(tx, client)).await().atMost(WAIT);
        return client;
    }

    @Test
    void userRoundTripsAndIsFoundByUsernameInAnyCase() {
        User user = new User("u-" + suffix, "Bob-" + suffix, HASH, true, Map.of("email", "bob@example.com", "email_verified", true));
        save(user);

        assertThat(users.findByUsername("BOB-" + suffix).await().atMost(WAIT)).contains(user);
        // The profile the token leg reads never carries the hash.
        assertThat(users.find(user.id()).await().atMost(WAIT)).contains(user.withPasswordHash(null));
    }

    @Test
    void renamedUserIsNoLongerFoundByTheOldName() {
        String id = "u-" + suffix;
        save(new User(id, "old-" + id, HASH, true, Map.of()));
        save(new User(id, "new-" + id, HASH, true, Map.of()));
        assertThat(users.findByUsername("old-" + id).await().atMost(WAIT)).isEmpty();
        assertThat(users.findByUsername("new-" + id).await().atMost(WAIT)).isPresent();
    }

    @Test
    void createWhenTwoWritersCreateLookAlikeNamesAtOnceThenOneUserExists() throws Exception {
        // Fullwidth and ASCII: one canonical name (RFC 8265), two different ids, two concurrent transactions.
        CountDownLatch bothInside = new CountDownLatch(2);
        CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> create("a-" + suffix, "carol" + suffix, bothInside));
        CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> create("b-" + suffix, "ｃａｒｏｌ" + suffix, bothInside));

        assertThat(List.of(first.get(), second.get())).containsExactlyInAnyOrder(true, false);
        assertThat(TestPostgres.get().queryOne("SELECT count(*) FROM users WHERE id IN ('a-" + suffix + "', 'b-" + suffix + "')"))
                .isEqualTo("1");
        assertThat(TestPostgres.get().queryOne("SELECT count(*) FROM credentials WHERE user_id IN ('a-" + suffix + "', 'b-" + suffix + "')"))
                .as("no credential without its user").isEqualTo("1");
    }

    private boolean create(String id, String username, CountDownLatch bothInside) {
        try {
            pool.withTransaction(tx -> users.save(tx, List.of(new User(id, username, HASH, true, Map.of())))
                    .invoke(bothInside::countDown)
                    // Both have written before either commits: the unique constraint decides at commit.
                    .call(() -> Uni.createFrom().item(1).onItem().delayIt().until(x -> Uni.createFrom()
                            .completionStage(CompletableFuture.runAsync(() -> await(bothInside))))))
                    .await().atMost(WAIT);
            return true;
        } catch (RuntimeException e) {
            assertThat(DirectoryCalls.isConstraintViolation(e)).as(e.toString()).isTrue();
            return false;
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void saveWhenTheTransactionFailsAfterTheUserThenNeitherUserNorCredentialIsWritten() {
        User user = new User("u-" + suffix, "dave-" + suffix, HASH, true, Map.of());
        assertThatThrownBy(() -> pool.withTransaction(tx -> users.save(tx, List.of(user))
                .flatMap(x -> tx.query("SELECT 1 / 0").execute())).await().atMost(WAIT)).isNotNull();

        assertThat(TestPostgres.get().queryOne("SELECT count(*) FROM users WHERE id = 'u-" + suffix + "'")).isEqualTo("0");
        assertThat(TestPostgres.get().queryOne("SELECT count(*) FROM credentials WHERE user_id = 'u-" + suffix + "'")).isEqualTo("0");
    }

    @Test
    void auditEventsWhenChangedAfterwardsThenRefused() {
        TestPostgres.get().execute("INSERT INTO audit_events (type, actor, subject) VALUES ('login.succeeded', 'u-" + suffix
                + "', 'u-" + suffix + "')");
        assertThatThrownBy(() -> TestPostgres.get().execute("UPDATE audit_events SET type = 'nothing happened' WHERE subject = 'u-"
                + suffix + "'")).hasMessageContaining("append-only");
        assertThat(TestPostgres.get().queryOne("SELECT type FROM audit_events WHERE subject = 'u-" + suffix + "'"))
                .isEqualTo("login.succeeded");
    }

    @Test
    void consentRoundTripsAndCoversOnlyItsScopes() {
        save(new User("u-" + suffix, "erin-" + suffix, HASH, true, Map.of()));
        ClientRegistration client = client("spa-" + suffix);
        consents.save(new Consent("u-" + suffix, client.clientId(), Set.of("openid", "profile"), 1L)).await().atMost(WAIT);

        Consent found = consents.find("u-" + suffix, client.clientId()).await().atMost(WAIT).orElseThrow();
        assertThat(found.covers(List.of("openid"))).isTrue();
        assertThat(found.covers(List.of("openid", "email"))).isFalse();
        assertThat(consents.delete("u-" + suffix, client.clientId()).await().atMost(WAIT)).isTrue();
        assertThat(consents.find("u-" + suffix, client.clientId()).await().atMost(WAIT)).isEmpty();
    }

    @Test
    void cachesWhenAnotherWriterChangesTheDirectoryThenTheChangeIsSeenWithinOneSecond() {
        save(new User("u-" + suffix, "frank-" + suffix, HASH, true, Map.of("name", "Frank")));
        client("spa-" + suffix);
        assertThat(users.find("u-" + suffix).await().atMost(WAIT).orElseThrow().claims()).containsEntry("name", "Frank");
        assertThat(clients.find("spa-" + suffix).await().atMost(WAIT).orElseThrow().name()).isEqualTo("spa-" + suffix);
        assertThat(changes.connected()).isTrue();

        // As psql, another replica or the admin service would: straight into PostgreSQL.
        long changedAt = System.nanoTime();
        TestPostgres.get().execute("UPDATE users SET claims = '{\"name\": \"Francis\"}', status = 'disabled' WHERE id = 'u-" + suffix + "'");
        TestPostgres.get().execute("UPDATE clients SET registration = jsonb_set(registration, '{name}', '\"Renamed\"')"
                + " WHERE client_id = 'spa-" + suffix + "'");

        while (!users.find("u-" + suffix).await().atMost(WAIT).orElseThrow().claims().containsValue("Francis")
                || !clients.find("spa-" + suffix).await().atMost(WAIT).orElseThrow().name().equals("Renamed")) {
            assertThat(Duration.ofNanos(System.nanoTime() - changedAt)).isLessThan(Duration.ofSeconds(1));
            Thread.onSpinWait();
        }
        assertThat(users.find("u-" + suffix).await().atMost(WAIT).orElseThrow().enabled()).isFalse();
    }

    @Test
    void whenPostgresIsStoppedThenCachedRecordsAreServedAndLoginsFailAsUnavailableThenRecover() {
        save(new User("u-" + suffix, "gina-" + suffix, HASH, true, Map.of()));
        client("spa-" + suffix);
        // The notifications of these writes reach this replica's caches a moment after the commit; read after
        // them, as any reader but the writer itself does, so that they cannot drop what is read below.
        sleep(Duration.ofMillis(1500));
        assertThat(clients.find("spa-" + suffix).await().atMost(WAIT)).isPresent();
        assertThat(users.find("u-" + suffix).await().atMost(WAIT)).isPresent();

        TestPostgres.get().stop();
        try {
            assertThat(clients.find("spa-" + suffix).await().atMost(WAIT)).isPresent();
            assertThat(users.find("u-" + suffix).await().atMost(WAIT)).isPresent();
            long started = System.nanoTime();
            assertThatThrownBy(() -> users.findByUsername("gina-" + suffix).await().atMost(WAIT))
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.UNAVAILABLE));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThatThrownBy(() -> clients.find("never-seen-" + suffix).await().atMost(WAIT)).isInstanceOf(StoreException.class);
        } finally {
            TestPostgres.get().start();
        }
        awaitRecovery();

        // Frozen rather than stopped: connections stay open and nothing answers, so only the deadline ends a call.
        TestPostgres.get().pause();
        try {
            long started = System.nanoTime();
            assertThatThrownBy(() -> users.findByUsername("gina-" + suffix).await().atMost(WAIT))
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.UNAVAILABLE));
            // latchkey.directory.timeout=1s in the test settings
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
            assertThat(users.find("u-" + suffix).await().atMost(WAIT)).isPresent();
        } finally {
            TestPostgres.get().resume();
        }
        awaitRecovery();
    }

    private void awaitRecovery() {
        // The pool opens new connections by itself once the server is back.
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                assertThat(users.findByUsername("nobody-" + suffix).await().atMost(WAIT)).isEmpty();
                break;
            } catch (StoreException e) {
                assertThat(System.nanoTime()).as("recovered within 20 s").isLessThan(deadline);
            }
        }
    }
}
