package io.latchkey.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The harness does what the outage tests rely on: the shared server answers, a stopped private server refuses
 * connections and comes back on the same port with its rows, and a paused one freezes its backends too.
 */
class TestPostgresTest {

    private static TestPostgres server;

    @BeforeAll
    static void startPrivateServer() {
        server = TestPostgres.startPrivate();
    }

    @AfterAll
    static void shutdownPrivateServer() {
        if (server != null) {
            server.shutdown();
        }
    }

    @Test
    void sharedServerAnswersInTheLatchkeyDatabase() {
        TestPostgres shared = TestPostgres.get();
        assertThat(shared.queryOne("SELECT 'answers'")).isEqualTo("answers");
        assertThat(shared.reactiveUrl()).startsWith("postgresql://");
        if (shared.controllable()) {
            assertThat(shared.queryOne("SELECT current_database()")).isEqualTo(TestPostgres.DATABASE);
        }
        assertThat(TestPostgres.get()).isSameAs(shared);
    }

    @Test
    void privateServerServesTheLatchkeyDatabaseAsLatchkey() {
        assertThat(server.controllable()).isTrue();
        assertThat(server.reactiveUrl()).isEqualTo("postgresql://latchkey@127.0.0.1:" + server.port() + "/latchkey");
        assertThat(server.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + server.port() + "/latchkey");
        assertThat(server.password()).isEmpty();
        assertThat(server.queryOne("SELECT current_user || '/' || current_database()")).isEqualTo("latchkey/latchkey");
    }

    @Test
    void stopCutsConnectionsAndStartBringsTheRowsBack() throws Exception {
        server.execute("CREATE TABLE kept (v text)");
        assertThat(server.execute("INSERT INTO kept VALUES ('before the crash')")).isEqualTo(1);
        try (Connection open = server.connect()) {
            server.stop();

            assertThatThrownBy(() -> query(open, "SELECT 1")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> server.queryOne("SELECT 1")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(Integer.toString(server.port()));
        }

        server.start();
        assertThat(server.queryOne("SELECT v FROM kept")).isEqualTo("before the crash");
    }

    @Test
    void pauseFreezesPostmasterAndBackendsUntilResume() throws Exception {
        try (Connection open = server.connect()) {
            query(open, "SELECT 1");
            server.pause();
            try {
                if (Files.isDirectory(Path.of("/proc"))) {
                    List<Long> pids = ProcessHandle.of(server.postmasterPid()).orElseThrow().descendants()
                            .map(ProcessHandle::pid).toList();
                    assertThat(pids).isNotEmpty();
                    assertThat(state(server.postmasterPid())).isEqualTo("T");
                    pids.forEach(pid -> assertThat(state(pid)).as("backend %d", pid).isIn("T", null));
                }

                // The open connection's backend does not answer, and a new connection is not let in.
                CompletableFuture<String> pending = CompletableFuture.supplyAsync(() -> {
                    try {
                        return query(open, "SELECT 'thawed'");
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertThatThrownBy(() -> pending.get(1, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
                Properties quick = new Properties();
                quick.setProperty("user", server.username());
                quick.setProperty("loginTimeout", "1");
                quick.setProperty("socketTimeout", "1");
                assertThatThrownBy(() -> new org.postgresql.Driver().connect(server.jdbcUrl(), quick).close())
                        .isInstanceOf(SQLException.class);

                server.resume();
                assertThat(pending.get(10, TimeUnit.SECONDS)).isEqualTo("thawed");
                // Nothing of the server stays frozen, runuser in front of it under root included.
                if (Files.isDirectory(Path.of("/proc"))) {
                    ProcessHandle.current().descendants()
                            .forEach(p -> assertThat(state(p.pid())).as("%s", p.info().command()).isNotEqualTo("T"));
                }
            } finally {
                server.resume();
            }
        }
        assertThat(server.queryOne("SELECT 'answers'")).isEqualTo("answers");
    }

    @Test
    void shutdownEndsTheServerAndDeletesItsDirectory() {
        TestPostgres own = TestPostgres.startPrivate();
        Path dir = own.directory();
        long postmaster = own.postmasterPid();
        assertThat(own.queryOne("SELECT 1")).isEqualTo("1");

        own.shutdown();

        assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(Files.exists(dir)).isFalse();
        assertThatThrownBy(() -> own.queryOne("SELECT 1")).isInstanceOf(IllegalStateException.class);
    }

    private static String query(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    /** The process state letter from /proc (T: stopped); null once the process is gone. */
    private static String state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
