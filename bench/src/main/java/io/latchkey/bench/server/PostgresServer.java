package io.latchkey.bench.server;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL for Latchkey's directory, started as redis-server is: its own data directory in a
 * temporary directory, a free loopback port, trust authentication for the user {@code latchkey} and the
 * database {@code latchkey}, gone when it is closed. PostgreSQL's own settings are its defaults
 * (shared_buffers 128 MB, fsync on), as a server that was installed and not tuned.
 *
 * <p>PostgreSQL refuses to run as root: under root every command runs as the {@code postgres} user (else
 * {@code nobody}) through runuser, which owns the directory. The process the meter reads is runuser's (or
 * postgres' own when not root); the postmaster and all its backends and helpers are its descendants.
 *
 * <p>It can be stopped at once, as a crash would (immediate shutdown: no checkpoint, clients cut off), and
 * started again on the same port with the same data, which PostgreSQL then recovers.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "latchkey";
    public static final String DATABASE = "latchkey";

    private final Path bin;
    private final Path dir;
    private final Path logs;
    private final String runAs;
    private final int port;
    private volatile ServerProcess process;
    private boolean closed;

    private PostgresServer(Path bin, Path dir, Path logs, String runAs, int port) {
        this.bin = bin;
        this.dir = dir;
        this.logs = logs;
        this.runAs = runAs;
        this.port = port;
    }

    /** initdb, the database, then the server; fails with the reason if PostgreSQL is missing or does not start. */
    public static PostgresServer start(Path logs) {
        Path bin = binaries();
        if (bin == null) {
            throw new IllegalStateException("PostgreSQL is not installed: initdb, pg_ctl and postgres are neither on the PATH nor"
                    + " under /usr/lib/postgresql/<version>/bin (apt-get install postgresql; macOS: brew install postgresql@15)");
        }
        PostgresServer server;
        try {
            Path dir = Files.createTempDirectory("latchkey-bench-postgres");
            String runAs = null;
            if (Integer.valueOf(0).equals(Files.getAttribute(dir, "unix:uid"))) {
                runAs = unprivilegedUser();
                Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(runAs));
            }
            server = new PostgresServer(bin, dir, logs, runAs, ServerProcess.freePort());
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare a private PostgreSQL: " + e.getMessage(), e);
        }
        try {
            server.initdb();
            server.start();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** {@code postgresql://latchkey@127.0.0.1:PORT/latchkey}, for quarkus.datasource.reactive.url. */
    public String url() {
        return "postgresql://" + USER + "@127.0.0.1:" + port + "/" + DATABASE;
    }

    public int port() {
        return port;
    }

    /** The process whose tree is the server (runuser's under root), or -1 while it is stopped. */
    public long pid() {
        ServerProcess p = process;
        return p == null ? -1 : p.pid();
    }

    public boolean running() {
        ServerProcess p = process;
        return p != null && p.alive();
    }

    /** Starts the server (again) on its port with its data and waits until it accepts connections. */
    public synchronized void start() {
        if (running()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of(bin.resolve("postgres").toString(), "-D", data().toString(),
                "-p", Integer.toString(port), "-h", "127.0.0.1", "-k", socketDir()));
        // A restart appends to the first start's log, so the outage is read in one file.
        process = ServerProcess.launch("postgres", asUser(command), Map.of("LC_ALL", "C"), dir, logs, process != null);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.alive()) {
                throw new IllegalStateException("postgres exited during start-up; the end of its log:\n" + process.tail());
            }
            // pg_isready exits 0 once the server accepts connections (not while it starts or recovers).
            if (run(List.of(bin.resolve("pg_isready").toString(), "-q", "-h", "127.0.0.1", "-p", Integer.toString(port),
                    "-U", USER, "-d", DATABASE), Duration.ofSeconds(5)) == 0) {
                process.ready();
                return;
            }
            sleep(50);
        }
        throw new IllegalStateException("postgres did not accept connections within 60 s; the end of its log:\n" + process.tail());
    }

    /**
     * Stops the server as a crash would: {@code pg_ctl stop -m immediate} (every backend quits at once, no
     * checkpoint), and waits until it is gone.
     */
    public synchronized void stopImmediately() {
        if (!running()) {
            return;
        }
        run(asUser(List.of(bin.resolve("pg_ctl").toString(), "stop", "-D", data().toString(), "-m", "immediate", "-w", "-s")),
                Duration.ofSeconds(30));
        process.awaitExit(Duration.ofSeconds(30));
    }

    /** Ends the server (fast shutdown) and deletes its directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (running()) {
            run(asUser(List.of(bin.resolve("pg_ctl").toString(), "stop", "-D", data().toString(), "-m", "fast", "-w", "-s")),
                    Duration.ofSeconds(30));
            process.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // A temporary directory left behind is only clutter.
        }
    }

    private void initdb() {
        Path log = dir.resolve("initdb.log");
        int status = run(asUser(List.of(bin.resolve("initdb").toString(), "-D", data().toString(), "--auth=trust", "-U", USER,
                "--encoding=UTF8", "--locale=C", "--no-sync")), log, Duration.ofSeconds(120));
        if (status != 0) {
            throw new IllegalStateException("initdb failed (" + status + "): " + tail(log));
        }
        // The database, in single-user mode before the server listens: no client library needed.
        Path single = dir.resolve("createdb.log");
        try {
            Process p = builder(asUser(List.of(bin.resolve("postgres").toString(), "--single", "-D", data().toString(), "postgres")))
                    .redirectOutput(single.toFile()).start();
            p.getOutputStream().write(("CREATE DATABASE " + DATABASE + "\n").getBytes());
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("CREATE DATABASE failed: " + tail(single));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run postgres --single: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the database", e);
        }
    }

    private Path data() {
        return dir.resolve("data");
    }

    /** The socket beside the data, away from a system server's; none if the path is too long for a socket. */
    private String socketDir() {
        return dir.toString().length() > 90 ? "" : dir.toString();
    }

    private List<String> asUser(List<String> command) {
        if (runAs == null) {
            return command;
        }
        // In sbin, which a root's PATH in a container may lack.
        String runuser = Stream.of("/usr/sbin/runuser", "/sbin/runuser").filter(f -> Files.isExecutable(Path.of(f)))
                .findFirst().orElse("runuser");
        List<String> full = new ArrayList<>(List.of(runuser, "-u", runAs, "--"));
        full.addAll(command);
        return full;
    }

    private ProcessBuilder builder(List<String> command) {
        ProcessBuilder b = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        b.environment().put("LC_ALL", "C");
        return b;
    }

    private int run(List<String> command, Duration timeout) {
        return run(command, null, timeout);
    }

    private int run(List<String> command, Path log, Duration timeout) {
        try {
            ProcessBuilder b = builder(command);
            b.redirectOutput(log == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(log.toFile()));
            Process p = b.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * A directory with initdb, pg_ctl, pg_isready and postgres: the PATH's, else the newest of Debian's
     * /usr/lib/postgresql/VERSION/bin and Homebrew's postgresql@VERSION (keg-only, so off the PATH).
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
                .filter(Objects::nonNull)
                .flatMap(Arrays::stream)
                .filter(v -> v.getName().matches("(postgresql@)?\\d+(\\.\\d+)?"))
                .sorted(Comparator.comparingDouble((File v) -> Double.parseDouble(v.getName().replace("postgresql@", ""))).reversed())
                .map(v -> v.toPath().resolve("bin"))
                .filter(PostgresServer::serverIn)
                .findFirst()
                .orElse(null);
    }

    private static boolean serverIn(Path dir) {
        return Stream.of("initdb", "pg_ctl", "pg_isready", "postgres").allMatch(f -> Files.isExecutable(dir.resolve(f)));
    }

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
