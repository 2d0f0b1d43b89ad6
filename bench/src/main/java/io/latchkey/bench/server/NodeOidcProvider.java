package io.latchkey.bench.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * node-oidc-provider (the npm package {@code oidc-provider}) as the bench's third provider: one Node.js process
 * running {@code bench/node-oidc-provider/server.mjs}, which reads the benchmark realm from Keycloak's realm file and
 * keeps its state in the library's in-memory adapter. Its packages are installed with {@code npm ci} from the lock
 * file when they are missing or older than it.
 */
public final class NodeOidcProvider implements AutoCloseable {

    /** The process's name in the report. */
    public static final String PROCESS = "node";

    private final ServerProcess process;
    private final int port;
    private final String versions;

    private NodeOidcProvider(ServerProcess process, int port, String versions) {
        this.process = process;
        this.port = port;
        this.versions = versions;
    }

    /**
     * Why node-oidc-provider cannot run here (no node or npm on the PATH, no server script in {@code dir}), or null
     * when it can.
     */
    public static String unavailable(Path dir) {
        if (!Files.isRegularFile(dir.resolve("server.mjs")) || !Files.isRegularFile(dir.resolve("package-lock.json"))) {
            return dir + " has no server.mjs and package-lock.json";
        }
        for (String tool : List.of("node", "npm")) {
            try {
                Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    return tool + " --version failed";
                }
            } catch (IOException e) {
                return tool + " is not on the PATH (install Node.js 20.19 or later with npm)";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
        return null;
    }

    /**
     * Installs the packages if needed, starts the server on a free loopback port with {@code realm} (Keycloak's realm
     * file) and waits until its discovery document answers.
     */
    public static NodeOidcProvider start(Path dir, Path realm, Path logs) {
        install(dir, logs);
        int port = ServerProcess.freePort();
        ServerProcess process = ServerProcess.launch("node-oidc-provider",
                List.of("node", "server.mjs", "--port", Integer.toString(port), "--realm", realm.toAbsolutePath().toString()),
                Map.of("NODE_ENV", "production"), dir, logs);
        try {
            process.awaitHttp("http://127.0.0.1:" + port + "/.well-known/openid-configuration", Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
        return new NodeOidcProvider(process, port, versions(dir));
    }

    /** {@code npm ci} when node_modules is missing or older than the lock file (npm writes its own copy of the lock there). */
    static void install(Path dir, Path logs) {
        Path installed = dir.resolve("node_modules/.package-lock.json");
        try {
            if (Files.exists(installed)
                    && Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(dir.resolve("package-lock.json"))) >= 0) {
                return;
            }
            Files.createDirectories(logs);
            Path log = logs.resolve("npm-ci.log");
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!npm.waitFor(10, TimeUnit.MINUTES)) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm ci in " + dir + " took more than 10 minutes; see " + log);
            }
            if (npm.exitValue() != 0) {
                throw new IllegalStateException("npm ci in " + dir + " failed (exit " + npm.exitValue() + "):\n" + Files.readString(log));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot install node-oidc-provider in " + dir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during npm ci", e);
        }
    }

    private static String versions(Path dir) {
        String node;
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            node = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            node = "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            node = "?";
        }
        String library = "?";
        try {
            String pkg = Files.readString(dir.resolve("node_modules/oidc-provider/package.json"));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(pkg);
            if (m.find()) {
                library = m.group(1);
            }
        } catch (IOException e) {
            // the notes say "?"
        }
        return "oidc-provider " + library + " on Node.js " + node;
    }

    public String issuer() {
        return "http://127.0.0.1:" + port;
    }

    public Map<String, Long> pids() {
        return Map.of(PROCESS, process.pid());
    }

    public long readyMillis() {
        return process.readyMillis();
    }

    public List<String> notes() {
        return List.of(versions + ", one process (bench/node-oidc-provider/server.mjs), NODE_ENV=production",
                "state in the library's in-memory adapter (no Redis, no database); JWT access tokens through resource indicators",
                "passwords: Argon2id (npm argon2), 19 MiB, 2 iterations, parallelism 1");
    }

    @Override
    public void close() {
        process.close();
    }
}
