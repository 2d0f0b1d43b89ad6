package io.latchkey.model.directory;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testing.TestPostgres;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each test on a new database of the test server, migrated by the real Flyway and checked by the real client. */
class DirectoryMigrationsTest {

    private static Vertx vertx;

    @BeforeAll
    static void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aNewDatabaseIsMigratedByFlywayAndAStartAfterThatSkipsFlyway() {
        DirectoryMigrations migrations = on(newDatabase());
        assertThat(migrations.upToDate()).isFalse();
        assertThat(migrations.migrate()).isEqualTo(DirectoryMigrations.VERSIONS.size());
        assertThat(migrations.upToDate()).isTrue();
        assertThat(migrations.migrate()).isZero();
    }

    @Test
    void aFailedOrMissingVersionIsLeftToFlyway() {
        String database = newDatabase();
        DirectoryMigrations migrations = on(database);
        migrations.migrate();
        String last = DirectoryMigrations.VERSIONS.size() + "";
        execute(database, "UPDATE flyway_schema_history SET success = false WHERE version = '" + last + "'");
        assertThat(migrations.upToDate()).isFalse();
        execute(database, "DELETE FROM flyway_schema_history WHERE version = '" + last + "'");
        assertThat(migrations.upToDate()).isFalse();
    }

    @Test
    void anUnreachableServerIsLeftToFlywaysRetries() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        DirectoryMigrations migrations = new DirectoryMigrations(new DirectoryConnection(
                "postgresql://latchkey@127.0.0.1:" + closed + "/latchkey", Optional.empty(), Optional.empty()), null, vertx);
        assertThat(migrations.upToDate()).isFalse();
    }

    private static String newDatabase() {
        String name = "migrations_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        TestPostgres.get().execute("CREATE DATABASE " + name);
        return name;
    }

    private static DirectoryMigrations on(String database) {
        TestPostgres server = TestPostgres.get();
        String url = server.reactiveUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
        return new DirectoryMigrations(new DirectoryConnection(url, Optional.of(server.username()).filter(u -> !u.isEmpty()),
                Optional.of(server.password()).filter(p -> !p.isEmpty())), null, vertx);
    }

    private static void execute(String database, String sql) {
        TestPostgres server = TestPostgres.get();
        TestPostgres.at(server.reactiveUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1")).execute(sql);
    }
}
