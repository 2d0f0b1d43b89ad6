package io.latchkey.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The real Redis every test talks to, one per test JVM. In this order it uses:
 * <ol>
 * <li>the URL in {@code LATCHKEY_TEST_REDIS_URL} (a Redis you run; tests that simulate outages need
 * a private server and fail with a clear message against it);</li>
 * <li>a private {@code redis-server} from the PATH on a free loopback port, stopped when the JVM exits;</li>
 * <li>a Testcontainers Redis where a Docker engine answers.</li>
 * </ol>
 * A private server can be stopped, restarted on the same port, paused and resumed to simulate outages.
 */
public final class TestRedis {

    public static final String URL_VARIABLE = "LATCHKEY_TEST_REDIS_URL";

    private static TestRedis instance;

    private final String url;
    private final Integer port;
    private final Path dataDir;
    private final List<String> extraArguments;
    private Process process;

    private TestRedis(String url, Integer port, Path dataDir) {
        this(url, port, dataDir, List.of());
    }

    private TestRedis(String url, Integer port, Path dataDir, List<String> extraArguments) {
        this.url = url;
        this.port = port;
        this.dataDir = dataDir;
        this.extraArguments = extraArguments;
    }

    public static synchronized TestRedis get() {
        if (instance == null) {
            instance = create();
        }
        return instance;
    }

    /** A handle on a Redis someone else runs, to send it commands. */
    public static TestRedis at(String url) {
        return new TestRedis(url, null, null);
    }

    public String url() {
        return url;
    }

    /**
     * A second private redis-server of the test's own, with extra {@code redis-server} arguments (e.g.
     * {@code --maxmemory-policy volatile-lru}); {@link #shutdown()} ends it, the JVM's exit at the latest.
     */
    public static TestRedis startPrivate(String... arguments) {
        if (!onPath("redis-server")) {
            throw new IllegalStateException("This test needs its own redis-server; put it on the PATH.");
        }
        try {
            int port = freePort();
            TestRedis redis = new TestRedis("redis://127.0.0.1:" + port, port, Files.createTempDirectory("latchkey-test-redis"),
                    List.of(arguments));
            redis.start();
            Runtime.getRuntime().addShutdownHook(new Thread(redis::kill));
            return redis;
        } catch (IOException e) {
            throw new IllegalStateException("Could not start a private redis-server: " + e.getMessage(), e);
        }
    }

    /** Ends a server of {@link #startPrivate}. */
    public void shutdown() {
        kill();
    }

    private static TestRedis create() {
        String external = System.getenv(URL_VARIABLE);
        if (external != null && !external.isBlank()) {
            return new TestRedis(external, null, null);
        }
        if (onPath("redis-server")) {
            try {
                int port = freePort();
                Path dir = Files.createTempDirectory("latchkey-test-redis");
                TestRedis redis = new TestRedis("redis://127.0.0.1:" + port, port, dir);
                redis.start();
                Runtime.getRuntime().addShutdownHook(new Thread(redis::kill));
                return redis;
            } catch (IOException e) {
                throw new IllegalStateException("Could not start a private redis-server: " + e.getMessage(), e);
            }
        }
        if (TestcontainersRedis.dockerAvailable()) {
            return new TestRedis(TestcontainersRedis.start(), null, null);
        }
        throw new IllegalStateException("No Redis for the tests: set " + URL_VARIABLE
                + ", put redis-server on the PATH (apt-get install redis-server), or run a Docker engine for Testcontainers.");
    }

    /** Whether this is a private server that tests may stop, restart, pause and resume. */
    public boolean controllable() {
        return process != null;
    }

    /** Starts the private server (again, on the same port) and waits until it answers PING. */
    public synchronized void start() {
        requireControllable();
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            List<String> command = new java.util.ArrayList<>(List.of("redis-server", "--port", port.toString(), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dataDir.toString(), "--loglevel", "warning"));
            command.addAll(extraArguments);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dataDir.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not start redis-server: " + e.getMessage(), e);
        }
        awaitPing(Duration.ofSeconds(10));
    }

    /** Kills the private server at once, as a crash would; its data is gone. */
    public synchronized void stop() {
        requireControllable();
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Freezes the private server (SIGSTOP): connections stay open, nothing answers. */
    public void pause() {
        signal("STOP");
    }

    public void resume() {
        signal("CONT");
    }

    /** Sends one command and returns the raw reply (tests inspect keys and TTLs through this). */
    /** Waits, at most {@code limit}, until Redis has dropped {@code key} (its TTL ran out); fails the test otherwise. */
    public void awaitGone(String key, java.time.Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!"0".equals(command("EXISTS", key))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(key + " still exists after " + limit);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    public String command(String... args) {
        var target = java.net.URI.create(url);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(target.getHost(), target.getPort() == -1 ? 6379 : target.getPort()), 1000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
            for (String a : args) {
                byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
                sb.append('$').append(bytes.length).append("\r\n").append(a).append("\r\n");
            }
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return readReply(socket.getInputStream());
        } catch (IOException e) {
            throw new IllegalStateException("Redis at " + url + " did not answer: " + e.getMessage(), e);
        }
    }

    private static String readReply(InputStream in) throws IOException {
        String line = readLine(in);
        switch (line.charAt(0)) {
            case '$': {
                int len = Integer.parseInt(line.substring(1));
                if (len < 0) {
                    return null;
                }
                byte[] data = in.readNBytes(len + 2);
                return new String(data, 0, len, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(line.substring(1));
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    sb.append(i == 0 ? "" : "\n").append(readReply(in));
                }
                return sb.toString();
            }
            default:
                return line.substring(1);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                in.read();
                break;
            }
            sb.append((char) c);
        }
        return sb.toString();
    }

    private void awaitPing(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if ("PONG".equals(command("PING"))) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                // still starting
            }
            sleep(50);
        }
        throw new IllegalStateException("redis-server on port " + port + " did not answer PING within " + timeout);
    }

    private void signal(String signal) {
        requireControllable();
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void requireControllable() {
        if (port == null) {
            throw new IllegalStateException("This test stops or pauses Redis, which needs a private redis-server; unset "
                    + URL_VARIABLE + " and put redis-server on the PATH.");
        }
    }

    private void kill() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A loopback port nobody listens on, below the kernel's range of ephemeral ports: a port from that range (what
     * binding port 0 gives) can be taken by any outgoing connection (to Redis, to PostgreSQL) between this call and
     * the moment a server binds it, which a CI run saw as "port in use" at a service's start.
     */
    public static int freePort() throws IOException {
        int below = ephemeralRangeStart();
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = random.nextInt(20_000, Math.max(20_001, below));
            try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // Someone listens there: try another.
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static int ephemeralRangeStart() {
        try {
            // Read as lines: /proc reports a size of 0, and a read by size gets only part of the text.
            int start = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0)
                    .trim().split("\\s+")[0]);
            return start > 21_000 ? start : 32_768;
        } catch (IOException | RuntimeException notLinux) {
            return 32_768;
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
