package io.latchkey.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real PostgreSQL every test talks to, one per test JVM. In this order it uses:
 * <ol>
 * <li>the URL in {@code LATCHKEY_TEST_POSTGRES_URL}, e.g. {@code postgresql://user:pass@host:5432/db} (a server
 * you run; tests that simulate outages need a private server and fail with a clear message against it);</li>
 * <li>a private server from the PATH, else from the newest {@code /usr/lib/postgresql/<version>/bin} or Homebrew
 * {@code postgresql@<version>}, on a free loopback port, its data in a temporary directory, both gone when the JVM
 * exits;</li>
 * <li>a Testcontainers PostgreSQL where a Docker engine answers.</li>
 * </ol>
 * A private server can be stopped, restarted on the same port with its data, paused and resumed to simulate
 * outages. PostgreSQL refuses to run as root, so under root the private server runs as the {@code postgres}
 * user (else {@code nobody}), which owns its directory.
 */
public final class TestPostgres {

    public static final String URL_VARIABLE = "LATCHKEY_TEST_POSTGRES_URL";
    public static final String DATABASE = "latchkey";
    public static final String USER = "latchkey";

    // No fsync: the OS keeps what a crash of the server alone must not lose, and a busy machine is spared the
    // flushes. Commits stay synchronous, or stop() would lose the last ones still in the server's WAL buffers.
    private static final List<String> SETTINGS = List.of(
            "fsync=off", "full_page_writes=off", "max_connections=200", "shared_buffers=32MB");

    private static TestPostgres instance;

    private final String host;
    private final int port;
    private final String database;
    private final String username;
    private final String password;
    /** "" or the "?..." of an external URL (e.g. sslmode), passed on to both URLs. */
    private final String query;
    /** The private server's binaries, directory and OS user (null: this user); bin is null for any other server. */
    private final Path bin;
    private final Path dir;
    private final String runAs;
    private Process process;
    private long postmaster;
    private boolean shutDown;

    private TestPostgres(String host, int port, String database, String username, String password, String query,
            Path bin, Path dir, String runAs) {
        this.host = host;
        this.port = port;
        this.database = database;
        this.username = username;
        this.password = password;
        this.query = query;
        this.bin = bin;
        this.dir = dir;
        this.runAs = runAs;
    }

    public static synchronized TestPostgres get() {
        if (instance == null) {
            instance = create();
        }
        return instance;
    }

    private static TestPostgres create() {
        String external = System.getenv(URL_VARIABLE);
        if (external != null && !external.isBlank()) {
            return at(external.trim());
        }
        Path bin = binaries();
        if (bin != null) {
            return startPrivate(bin);
        }
        if (TestcontainersRedis.dockerAvailable()) {
            return at(TestcontainersPostgres.start());
        }
        throw new IllegalStateException("No PostgreSQL for the tests: set " + URL_VARIABLE
                + " (postgresql://user:pass@host:5432/db), install PostgreSQL so that initdb and postgres are on the PATH"
                + " or under /usr/lib/postgresql/<version>/bin (apt-get install postgresql; macOS: brew install postgresql@15),"
                + " or run a Docker engine for Testcontainers.");
    }

    /** A handle on a PostgreSQL someone else runs ({@code postgresql://user:pass@host:port/db}), to query it. */
    public static TestPostgres at(String url) {
        URI uri = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url);
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw new IllegalArgumentException("Not a postgresql:// URL: " + url);
        }
        String user = "";
        String pass = "";
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            pass = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        String db = path.isEmpty() ? (user.isEmpty() ? "postgres" : user) : path;
        return new TestPostgres(uri.getHost(), uri.getPort() == -1 ? 5432 : uri.getPort(), db, user, pass,
                uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery(), null, null, null);
    }

    /**
     * A private server of the test's own, e.g. to break it without disturbing the others; {@link #shutdown()}
     * ends it, the JVM's exit at the latest.
     */
    public static TestPostgres startPrivate() {
        Path bin = binaries();
        if (bin == null) {
            throw new IllegalStateException("This test needs its own PostgreSQL server; install PostgreSQL so that initdb and"
                    + " postgres are on the PATH or under /usr/lib/postgresql/<version>/bin (apt-get install postgresql).");
        }
        return startPrivate(bin);
    }

    private static TestPostgres startPrivate(Path bin) {
        TestPostgres postgres;
        try {
            Path dir = Files.createTempDirectory("latchkey-test-postgres");
            String runAs = null;
            if (Integer.valueOf(0).equals(Files.getAttribute(dir, "unix:uid"))) {
                runAs = unprivilegedUser();
                Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(runAs));
            }
            postgres = new TestPostgres("127.0.0.1", TestRedis.freePort(), DATABASE, USER, "", "", bin, dir, runAs);
        } catch (IOException e) {
            throw new IllegalStateException("Could not start a private PostgreSQL: " + e.getMessage(), e);
        }
        // Registered first, so that a server which failed half-way does not outlive the JVM either.
        Runtime.getRuntime().addShutdownHook(new Thread(postgres::shutdown));
        postgres.initdb();
        postgres.start();
        try (Connection c = postgres.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the database " + DATABASE + ": " + e.getMessage(), e);
        }
        return postgres;
    }

    /** The URL for {@code quarkus.datasource.reactive.url}: {@code postgresql://user@host:port/db}, no password. */
    public String reactiveUrl() {
        String user = username.isEmpty() ? "" : URLEncoder.encode(username, StandardCharsets.UTF_8) + "@";
        return "postgresql://" + user + host + ":" + port + "/" + database + query;
    }

    public String jdbcUrl() {
        return jdbcUrl(database);
    }

    private String jdbcUrl(String db) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + db + query;
    }

    public String username() {
        return username;
    }

    /** Empty for a private server, which trusts every local connection. */
    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    /** Whether this is a private server that tests may stop, restart, pause and resume. */
    public boolean controllable() {
        return bin != null;
    }

    /** Starts the private server (again, on the same port, with the same data) and waits until it takes connections. */
    public synchronized void start() {
        requireControllable();
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of(bin.resolve("postgres").toString(), "-D", data().toString(),
                "-p", Integer.toString(port), "-h", "127.0.0.1", "-k", socketDir()));
        SETTINGS.forEach(setting -> command.addAll(List.of("-c", setting)));
        try {
            process = processBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("postgres.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not start postgres: " + e.getMessage(), e);
        }
        awaitConnections(Duration.ofSeconds(60));
        postmaster = postmasterPid();
    }

    /**
     * Stops the private server at once, as a crash would (immediate shutdown: clients cut off, no checkpoint);
     * its data stays, and {@link #start()} recovers it.
     */
    public synchronized void stop() {
        requireControllable();
        if (process == null || !process.isAlive()) {
            return;
        }
        resume();
        signal("QUIT", List.of(postmaster));
        awaitExit(Duration.ofSeconds(30));
    }

    /** Freezes the private server and every backend (SIGSTOP): connections stay open, nothing answers. */
    public synchronized void pause() {
        requireRunning();
        // The postmaster first, so that it forks no backend the second signal misses.
        signal("STOP", List.of(postmaster));
        signal("STOP", children());
    }

    /** Thaws the server, and under root the runuser in front of it, which stops itself when its child stops. */
    public synchronized void resume() {
        requireRunning();
        signal("CONT", children());
        signal("CONT", List.of(postmaster));
        if (process.pid() != postmaster) {
            signal("CONT", List.of(process.pid()));
        }
    }

    /** Ends the server (fast shutdown) and deletes its directory; for a server of {@link #startPrivate}. */
    public synchronized void shutdown() {
        if (bin == null || shutDown) {
            return;
        }
        shutDown = true;
        if (process != null && process.isAlive()) {
            resume();
            signal("INT", List.of(postmaster));
            try {
                awaitExit(Duration.ofSeconds(15));
            } catch (IllegalStateException stuck) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // The temporary directory is only clutter.
        }
    }

    /** A new JDBC connection to the database; the caller closes it. */
    public Connection connect() throws SQLException {
        return connect(database);
    }

    private Connection connect(String db) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", username);
        if (!password.isEmpty()) {
            properties.setProperty("password", password);
        }
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("loginTimeout", "10");
        properties.setProperty("socketTimeout", "60");
        // The driver itself rather than DriverManager, which refuses drivers of another class loader (Quarkus tests).
        Connection connection = new org.postgresql.Driver().connect(jdbcUrl(db), properties);
        if (connection == null) {
            throw new SQLException("The PostgreSQL driver does not take " + jdbcUrl(db));
        }
        return connection;
    }

    /** Runs one statement and returns its update count (tests prepare and change rows through this). */
    public int execute(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            return s.execute(sql) ? 0 : s.getUpdateCount();
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + jdbcUrl() + " failed '" + sql + "': " + e.getMessage(), e);
        }
    }

    /** The first column of the first row as text, null for no row or NULL (tests inspect rows through this). */
    public String queryOne(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + jdbcUrl() + " failed '" + sql + "': " + e.getMessage(), e);
        }
    }

    Path directory() {
        return dir;
    }

    long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(data().resolve("postmaster.pid")).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return process.pid();
        }
    }

    private void initdb() {
        Path log = dir.resolve("initdb.log");
        try {
            Process initdb = processBuilder(List.of(bin.resolve("initdb").toString(), "-D", data().toString(),
                    "--auth=trust", "-U", USER, "--encoding=UTF8", "--locale=C", "--no-sync"))
                    .redirectOutput(log.toFile())
                    .start();
            if (!initdb.waitFor(120, TimeUnit.SECONDS)) {
                initdb.destroyForcibly();
                throw new IllegalStateException("initdb did not finish within 120 s: " + tail(log));
            }
            if (initdb.exitValue() != 0) {
                throw new IllegalStateException("initdb failed: " + tail(log));
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not run initdb: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during initdb", e);
        }
    }

    /** Under root the command runs as {@link #runAs}: runuser forks it, so signals go to the postmaster's own pid. */
    private ProcessBuilder processBuilder(List<String> command) {
        List<String> full = new ArrayList<>();
        if (runAs != null) {
            // In sbin, which a root's PATH in a container may lack.
            String runuser = Stream.of("/usr/sbin/runuser", "/sbin/runuser").filter(f -> Files.isExecutable(Path.of(f)))
                    .findFirst().orElse("runuser");
            full.addAll(List.of(runuser, "-u", runAs, "--"));
        }
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
        builder.environment().put("LC_ALL", "C");
        return builder;
    }

    private Path data() {
        return dir.resolve("data");
    }

    /** The socket lives beside the data, away from the system server's; too long a path for a socket: none. */
    private String socketDir() {
        return dir.toString().length() > 90 ? "" : dir.toString();
    }

    private List<Long> children() {
        return ProcessHandle.of(postmaster).map(p -> p.descendants().map(ProcessHandle::pid).toList()).orElse(List.of());
    }

    private void awaitConnections(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("postgres on port " + port + " exited during start-up: "
                        + tail(dir.resolve("postgres.log")));
            }
            try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
                s.execute("SELECT 1");
                return;
            } catch (SQLException notYet) {
                last = notYet; // still starting or recovering
            }
            sleep(100);
        }
        throw new IllegalStateException("postgres on port " + port + " took no connection within " + timeout + " ("
                + (last == null ? "" : last.getMessage()) + "): " + tail(dir.resolve("postgres.log")));
    }

    private void awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("postgres on port " + port + " did not stop within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void signal(String signal, List<Long> pids) {
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        try {
            // A backend may end between listing and signalling; kill says so, and that is fine.
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Signals go to the postmaster's pid only while it is ours: a pid of an ended server may name another process. */
    private void requireRunning() {
        requireControllable();
        if (process == null || !process.isAlive() || postmaster <= 0) {
            throw new IllegalStateException("The private PostgreSQL on port " + port + " is not running.");
        }
    }

    private void requireControllable() {
        if (bin == null) {
            throw new IllegalStateException("This test stops or pauses PostgreSQL, which needs a private server; unset "
                    + URL_VARIABLE + " and install PostgreSQL (initdb and postgres on the PATH or under"
                    + " /usr/lib/postgresql/<version>/bin).");
        }
    }

    /**
     * A directory with both initdb and postgres: on the PATH, else the newest of Debian's
     * /usr/lib/postgresql/<version>/bin and Homebrew's postgresql@<version>, which is not linked onto the PATH.
     */
    static Path binaries() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isEmpty() && serverIn(Path.of(entry))) {
                    return Path.of(entry);
                }
            }
        }
        return Stream.of("/usr/lib/postgresql", "/opt/homebrew/opt", "/usr/local/opt")
                .map(parent -> new File(parent).listFiles())
                .filter(java.util.Objects::nonNull)
                .flatMap(Arrays::stream)
                .filter(v -> v.getName().matches("(postgresql@)?\\d+(\\.\\d+)?"))
                .sorted(Comparator.comparingDouble((File v) -> Double.parseDouble(v.getName().replace("postgresql@", "")))
                        .reversed())
                .map(v -> v.toPath().resolve("bin"))
                .filter(TestPostgres::serverIn)
                .findFirst()
                .orElse(null);
    }

    private static boolean serverIn(Path dir) {
        return Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("postgres"));
    }

    /** The OS user a private server runs as under root: the packaged {@code postgres} if there is one. */
    private static String unprivilegedUser() {
        try {
            Process id = new ProcessBuilder("id", "-u", "postgres").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return id.waitFor(10, TimeUnit.SECONDS) && id.exitValue() == 0 ? "postgres" : "nobody";
        } catch (IOException e) {
            return "nobody";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "nobody";
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
