package io.latchkey.bench.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server the comparison starts: its process (whose pid the meter reads), its log file, and how long it
 * took from launch until it answered its readiness probe, which is the start-up time the report gives.
 */
public final class ServerProcess implements AutoCloseable {

    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final Process process;
    private final Path log;
    private final long launchedAt = System.nanoTime();
    private long readyMillis = -1;

    private ServerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public static ServerProcess launch(String name, List<String> command, Map<String, String> env, Path workDir, Path logDir) {
        return launch(name, command, env, workDir, logDir, false);
    }

    /** @param appendLog add to the log of an earlier process of this name (a restart) instead of starting it anew */
    public static ServerProcess launch(String name, List<String> command, Map<String, String> env, Path workDir, Path logDir,
            boolean appendLog) {
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(appendLog ? ProcessBuilder.Redirect.appendTo(log.toFile()) : ProcessBuilder.Redirect.to(log.toFile()));
            builder.environment().putAll(env);
            return new ServerProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + " (" + command.get(0) + "): " + e.getMessage(), e);
        }
    }

    /** Waits until {@code url} answers 200; fails with the end of the log if the process exits first. */
    public ServerProcess awaitHttp(String url, Duration timeout) {
        return await(() -> {
            try {
                return PROBE.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }, timeout);
    }

    /** Waits until the port accepts connections (Redis, which speaks no HTTP). */
    public ServerProcess awaitPort(int port, Duration timeout) {
        return await(() -> {
            try (var socket = new java.net.Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException notYet) {
                return false;
            }
        }, timeout);
    }

    private ServerProcess await(java.util.function.BooleanSupplier ready, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start-up; the end of " + log + ":\n" + tail());
            }
            if (ready.getAsBoolean()) {
                readyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launchedAt);
                return this;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while " + name + " started", e);
            }
        }
        throw new IllegalStateException(name + " was not ready within " + timeout + "; the end of " + log + ":\n" + tail());
    }

    /** Marks the process ready now, for a server whose readiness is checked by other means. */
    void ready() {
        readyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launchedAt);
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Waits until the process has exited by itself; its exit status, or -1 if it did not within the timeout. */
    public int awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public Path log() {
        return log;
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public long readyMillis() {
        return readyMillis;
    }

    /** The last 30 lines of the log. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port: " + e.getMessage(), e);
        }
    }

    /** Stops the process and whatever it started, gracefully first. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
