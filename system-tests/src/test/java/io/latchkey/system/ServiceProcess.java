package io.latchkey.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One packaged service (or the SPA server) in its own process, as a user runs it. */
final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    final String name;
    final int port;
    /** Health and metrics (Quarkus' management interface); the traffic port for a process without one. */
    final int managementPort;
    final Path log;
    private final Process process;
    private final long startedAt = System.nanoTime();
    private long readyMillis = -1;

    private ServiceProcess(String name, int port, int managementPort, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
        this.process = process;
    }

    static ServiceProcess start(String name, int port, List<String> command, Map<String, String> env, Path workDir) {
        return start(name, port, port, command, env, workDir);
    }

    static ServiceProcess start(String name, int port, int managementPort, List<String> command, Map<String, String> env,
            Path workDir) {
        try {
            Path logDir = Stack.root().resolve("system-tests/target/system-logs");
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(env);
            return new ServiceProcess(name, port, managementPort, log, builder.start());
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + name + ": " + e.getMessage(), e);
        }
    }

    /** Waits until the readiness check on the management port answers 200. */
    ServiceProcess awaitReadiness(Duration timeout) {
        return awaitReady(managementPort, "/q/health/ready", timeout);
    }

    /** Waits until {@code path} answers 200, failing with the end of the log if the process dies. */
    ServiceProcess awaitReady(String path, Duration timeout) {
        return awaitReady(port, path, timeout);
    }

    private ServiceProcess awaitReady(int atPort, String path, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start-up:\n" + tail());
            }
            try {
                var response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + atPort + path))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    readyMillis = Duration.ofNanos(System.nanoTime() - startedAt).toMillis();
                    System.out.printf("%s ready in %d ms%n", name, readyMillis);
                    return this;
                }
            } catch (IOException notYet) {
                // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(100);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout + ":\n" + tail());
    }

    long readyMillis() {
        return readyMillis;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The exit code once the process has ended by itself, failing with the end of the log if it has not. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " still runs after " + timeout + ":\n" + tail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    /** Ends the process at once, as a crash or an evicted pod would. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
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
