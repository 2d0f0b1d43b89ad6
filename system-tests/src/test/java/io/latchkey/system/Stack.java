package io.latchkey.system;

import io.latchkey.testing.TestPostgres;
import io.latchkey.testing.TestRedis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Latchkey as users run it: authorize-service and one or more token-service replicas as packaged
 * applications, each its own process on a free port, one private Redis, one private PostgreSQL, and a realm
 * made for the run.
 */
final class Stack implements AutoCloseable {

    static final String USERNAME = "alice";
    static final String PASSWORD = "wonderland";
    static final String SPA_CLIENT = "demo-spa";
    static final String NATIVE_CLIENT = "demo-native";
    static final String NATIVE_REDIRECT = "http://127.0.0.1/callback";
    static final String BACKEND_CLIENT = "demo-backend";
    static final String BACKEND_SECRET = "demo-backend-secret";
    /** The demo realm's admin client (client_credentials with the admin scopes). */
    static final String ADMIN_CLIENT = "demo-admin";
    static final String ADMIN_SECRET = "demo-admin-secret";

    final ServiceProcess authorize;
    final List<ServiceProcess> tokens = new ArrayList<>();
    private ServiceProcess admin;
    private final int adminPort;
    private Path realm;
    private String redis;
    private String tokenUrl;
    final int spaPort;
    final String issuer;
    private final List<ServiceProcess> all = new ArrayList<>();

    private final Map<String, String> extraEnv;

    private Stack(int tokenReplicas, Map<String, String> extraEnv, String moreUsers) throws IOException {
        this.extraEnv = extraEnv;
        int authorizePort = TestRedis.freePort();
        spaPort = TestRedis.freePort();
        adminPort = TestRedis.freePort();
        issuer = "http://localhost:" + authorizePort;
        List<Integer> tokenPorts = new ArrayList<>();
        for (int i = 0; i < tokenReplicas; i++) {
            tokenPorts.add(TestRedis.freePort());
        }
        realm = writeRealm(spaPort, moreUsers);
        redis = TestRedis.get().url();
        // Clients reach token-service at the first replica; the others are reached directly by tests.
        tokenUrl = "http://localhost:" + tokenPorts.get(0);
        authorize = service("authorize-service", authorizePort, realm, redis, tokenUrl);
        for (int i = 0; i < tokenReplicas; i++) {
            tokens.add(service("token-service", tokenPorts.get(i), realm, redis, tokenUrl));
        }
        try {
            for (ServiceProcess p : all) {
                p.awaitReadiness(Duration.ofSeconds(60));
            }
        } catch (RuntimeException e) {
            // One service failed to start: stop the others, which no caller holds yet.
            close();
            throw e;
        }
    }

    static Stack start(int tokenReplicas) {
        return start(tokenReplicas, Map.of());
    }

    /** As {@link #start(int)}, with more environment variables for every service (log levels, limits). */
    static Stack start(int tokenReplicas, Map<String, String> extraEnv) {
        return start(tokenReplicas, extraEnv, "");
    }

    /**
     * As {@link #start(int, Map)}, with more users in the realm: {@code moreUsers} is YAML list items (indented two
     * spaces, as the demo realm's) appended to its {@code users:} list, which ends the file.
     */
    static Stack start(int tokenReplicas, Map<String, String> extraEnv, String moreUsers) {
        try {
            return new Stack(tokenReplicas, extraEnv, moreUsers);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String tokenUrl(int replica) {
        return "http://localhost:" + tokens.get(replica).port;
    }

    /** The readiness check of a token-service replica, on its management port (never the traffic port). */
    String tokenReadinessUrl(int replica) {
        return "http://127.0.0.1:" + tokens.get(replica).managementPort + "/q/health/ready";
    }

    String spaOrigin() {
        return "http://localhost:" + spaPort;
    }

    /** admin-service, started on first use: most tests do not need it. */
    ServiceProcess admin() {
        if (admin == null) {
            try {
                // No realm file: importing it is authorize-service's job; admin-service applies the migrations only.
                admin = service("admin-service", adminPort, null, redis, tokenUrl);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            admin.awaitReadiness(Duration.ofSeconds(60));
        }
        return admin;
    }

    String adminUrl() {
        return "http://localhost:" + admin().port;
    }

    /** The demo SPA on its own origin, built from examples/spa with npm when its build is missing or older than its sources. */
    ServiceProcess startSpa() {
        Path spa = root().resolve("examples/spa");
        if (spaBuildStale(spa)) {
            run(spa, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
            run(spa, "npm", "run", "--silent", "build");
        }
        ServiceProcess server = ServiceProcess.start("demo-spa", spaPort, List.of("node", "serve.mjs"),
                Map.of("SPA_PORT", Integer.toString(spaPort), "LATCHKEY_ISSUER", issuer), spa);
        all.add(server);
        return server.awaitReady("/config.json", Duration.ofSeconds(20));
    }

    /** A dist/ left by an earlier build would otherwise test yesterday's SPA against today's provider. */
    private static boolean spaBuildStale(Path spa) {
        Path built = spa.resolve("dist/app.js");
        if (!Files.exists(built)) {
            return true;
        }
        try (var sources = Stream.of("src", "public", "build.mjs", "package-lock.json").map(spa::resolve)
                .flatMap(Stack::walk)) {
            FileTime builtAt = Files.getLastModifiedTime(built);
            return sources.anyMatch(source -> modified(source).compareTo(builtAt) > 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Stream<Path> walk(Path path) {
        try {
            return Files.walk(path).filter(Files::isRegularFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FileTime modified(Path path) {
        try {
            return Files.getLastModifiedTime(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ServiceProcess service(String module, int port, Path realm, String redis, String tokenUrl) throws IOException {
        Path jar = root().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run the system tests through `mvn verify` at the root, which packages the services first.");
        }
        String name = module + "-" + port;
        // Health and metrics on a free port of their own: several services share this host.
        int managementPort = TestRedis.freePort();
        Map<String, String> env = new java.util.HashMap<>(Map.of("QUARKUS_HTTP_PORT", Integer.toString(port),
                "QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort),
                "LATCHKEY_ISSUER", issuer,
                "LATCHKEY_TOKEN_SERVICE_URL", tokenUrl,
                // Discovery names admin-service's registration endpoint, whether or not this run starts it.
                "LATCHKEY_REGISTRATION_ENDPOINT", "http://localhost:" + adminPort + "/register",
                "QUARKUS_REDIS_HOSTS", redis,
                "QUARKUS_DATASOURCE_REACTIVE_URL", TestPostgres.get().reactiveUrl()));
        if (realm != null) {
            env.put("LATCHKEY_REALM_FILE", realm.toString());
        }
        env.putAll(extraEnv);
        ServiceProcess process = ServiceProcess.start(name, port, managementPort,
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar.toString()),
                env, root());
        all.add(process);
        return process;
    }

    /**
     * Imports a realm file (Latchkey's or a Keycloak export) into this stack's directory as {@code ./latchkey import}
     * does: authorize-service runs once with it and stops when it is written.
     */
    void importRealm(Path file) {
        try {
            Path log = Files.createTempFile("latchkey-import", ".log");
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", root().resolve("authorize-service/target/quarkus-app/quarkus-run.jar").toString())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(Map.of("QUARKUS_HTTP_PORT", "0", "QUARKUS_MANAGEMENT_PORT", "0",
                    "LATCHKEY_REALM_FILE", file.toString(), "LATCHKEY_REALM_EXIT_AFTER_IMPORT", "true",
                    "QUARKUS_REDIS_HOSTS", TestRedis.get().url(),
                    "QUARKUS_DATASOURCE_REACTIVE_URL", TestPostgres.get().reactiveUrl()));
            Process process = builder.start();
            if (!process.waitFor(2, java.util.concurrent.TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("the import of " + file + " failed; its output:\n" + Files.readString(log));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The demo realm, with the SPA's redirect URIs on this run's SPA port. */
    private static Path writeRealm(int spaPort, String moreUsers) throws IOException {
        String demo = Files.readString(root().resolve("examples/realm/demo-realm.yaml"));
        if (!moreUsers.isEmpty()) {
            int users = demo.indexOf("\nusers:\n");
            if (users < 0 || demo.substring(users + 8).matches("(?sm).*^[a-z].*")) {
                throw new IllegalStateException("the demo realm no longer ends with its users: list");
            }
            demo = demo.stripTrailing() + "\n" + moreUsers;
        }
        Path realm = Files.createTempFile("latchkey-system-realm", ".yaml");
        Files.writeString(realm, demo.replace("http://localhost:5173", "http://localhost:" + spaPort));
        return realm;
    }

    static Path root() {
        return Path.of(System.getProperty("latchkey.root", "..")).toAbsolutePath().normalize();
    }

    private static void run(Path dir, String... command) {
        try {
            // npm must not inherit the test JVM's stdin: the test runner speaks to this JVM over it, and
            // a child that reads it takes the runner's commands ("std/in stream corrupted").
            Path log = Files.createTempFile("latchkey-" + command[0], ".log");
            Process p = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed in " + dir + "; its output: " + log);
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage()
                    + " (the demo SPA needs Node.js 20 and npm on the PATH)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (ServiceProcess p : all) {
            p.close();
        }
    }
}
