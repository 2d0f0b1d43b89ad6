package io.latchkey.bench.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Latchkey as the comparison runs it: a private redis-server, a private PostgreSQL for the directory,
 * authorize-service and token-service as the packaged applications of a checkout, each its own process on a
 * free loopback port, with the benchmark realm. Redis and PostgreSQL count as part of Latchkey: their CPU
 * is charged to Latchkey's operations.
 *
 * <p>A checkout from before the directory moved to PostgreSQL (its services carry no PostgreSQL client)
 * runs without one, as it was deployed: Redis and both services, each importing the realm file.
 */
public final class LatchkeyStack implements AutoCloseable {

    /** The checkout's JVM settings, which ./latchkey up and the Kubernetes base read too. */
    static final String JVM_SETTINGS = "k8s/base/jvm.env";

    private final List<ServerProcess> processes = new ArrayList<>();
    private final Path root;
    private final Path logs;
    private final boolean usesPostgres;
    private PostgresServer postgres;
    private int redisPort;
    private String issuer;
    private String tokenUrl;

    private LatchkeyStack(Path root, Path logs) {
        this.root = root;
        this.logs = logs;
        this.usesPostgres = usesPostgres(root);
    }

    /** Redis, PostgreSQL when the checkout's services use it, both services with {@code realm}. */
    public static LatchkeyStack start(Path root, Path realm, Path logs, Map<String, String> extraEnv, Path profiles) {
        LatchkeyStack stack = stores(root, logs);
        try {
            stack.startServices(realm, extraEnv, profiles);
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    /** Only the stores (Redis, and PostgreSQL when the checkout uses it), for an import before the services start. */
    public static LatchkeyStack stores(Path root, Path logs) {
        LatchkeyStack stack = new LatchkeyStack(root, logs);
        try {
            stack.redisPort = ServerProcess.freePort();
            ServerProcess redis = ServerProcess.launch("redis", List.of("redis-server", "--port", Integer.toString(stack.redisPort),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"), Map.of(), root, logs);
            stack.processes.add(redis);
            redis.awaitPort(stack.redisPort, Duration.ofSeconds(20));
            if (stack.usesPostgres) {
                stack.postgres = PostgresServer.start(logs);
            }
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    /**
     * Whether the checkout's services keep the directory in PostgreSQL: authorize-service's packaged
     * application carries the PostgreSQL client.
     */
    public static boolean usesPostgres(Path root) {
        Path lib = root.resolve("authorize-service/target/quarkus-app/lib/main");
        try (Stream<Path> jars = Files.list(lib)) {
            return jars.anyMatch(j -> j.getFileName().toString().contains("vertx-pg-client"));
        } catch (IOException e) {
            return false;
        }
    }

    /** The checkout these services come from. */
    public Path root() {
        return root;
    }

    /**
     * Starts authorize-service, then token-service. authorize-service migrates the directory and imports
     * {@code realm}; token-service, which does not bootstrap the directory, gets no realm file. A checkout
     * without PostgreSQL gets the realm file in both, as before.
     */
    public void startServices(Path realm, Map<String, String> extraEnv, Path profiles) {
        int authorizePort = ServerProcess.freePort();
        int tokenPort = ServerProcess.freePort();
        // Health and metrics answer on each service's management interface, on free ports of their own.
        int authorizeManagementPort = ServerProcess.freePort();
        int tokenManagementPort = ServerProcess.freePort();
        issuer = "http://localhost:" + authorizePort;
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LATCHKEY_ISSUER", issuer);
        tokenUrl = "http://localhost:" + tokenPort;
        env.put("LATCHKEY_TOKEN_SERVICE_URL", tokenUrl);
        env.put("QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:" + redisPort);
        if (postgres != null) {
            env.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.url());
        }
        env.putAll(extraEnv);
        Map<String, String> authorizeEnv = new LinkedHashMap<>(env);
        authorizeEnv.put("LATCHKEY_REALM_FILE", realm.toAbsolutePath().toString());
        Map<String, String> tokenEnv = new LinkedHashMap<>(postgres == null ? authorizeEnv : env);
        // One after the other, so each start-up is timed on the machine's cores alone, as Keycloak's is; and
        // token-service finds the directory's schema that authorize-service made.
        service("authorize-service", authorizePort, authorizeManagementPort, authorizeEnv, profiles)
                .awaitHttp("http://127.0.0.1:" + authorizeManagementPort + "/q/health/ready", Duration.ofSeconds(90));
        service("token-service", tokenPort, tokenManagementPort, tokenEnv, profiles)
                .awaitHttp("http://127.0.0.1:" + tokenManagementPort + "/q/health/ready", Duration.ofSeconds(90));
    }

    /**
     * Starts admin-service beside the running services, as {@code ./latchkey up} does: the same stores and
     * issuer, no realm file (authorize-service imported it).
     */
    public String startAdmin(Map<String, String> extraEnv) {
        if (postgres == null) {
            throw new IllegalStateException("admin-service needs the PostgreSQL directory");
        }
        int port = ServerProcess.freePort();
        int managementPort = ServerProcess.freePort();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LATCHKEY_ISSUER", issuer);
        env.put("LATCHKEY_TOKEN_SERVICE_URL", tokenUrl);
        env.put("QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:" + redisPort);
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.url());
        env.putAll(extraEnv);
        service("admin-service", port, managementPort, env, null)
                .awaitHttp("http://127.0.0.1:" + managementPort + "/q/health/ready", Duration.ofSeconds(90));
        return "http://localhost:" + port;
    }

    private ServerProcess service(String module, int port, int managementPort, Map<String, String> env, Path profiles) {
        Map<String, String> own = new LinkedHashMap<>(jvmSettings(root));
        own.putAll(env);
        own.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        own.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        List<String> command = new ArrayList<>();
        command.add(java());
        if (profiles != null) {
            try {
                Files.createDirectories(profiles);
            } catch (IOException e) {
                throw new IllegalStateException("cannot create " + profiles + ": " + e.getMessage(), e);
            }
            command.add("-XX:StartFlightRecording=settings=profile,filename=" + profiles.resolve(module + ".jfr").toAbsolutePath());
        }
        command.addAll(List.of("-jar", jar(module).toString()));
        ServerProcess process = ServerProcess.launch(module, command, own, root, logs);
        processes.add(process);
        return process;
    }

    /**
     * The environment variables of {@value #JVM_SETTINGS} in {@code checkout} (JAVA_TOOL_OPTIONS,
     * MALLOC_ARENA_MAX), so each checkout runs with the settings its users get; none for a checkout from before
     * the file, which ran with the JVM's defaults.
     */
    public static Map<String, String> jvmSettings(Path checkout) {
        Path file = checkout.resolve(JVM_SETTINGS);
        Map<String, String> settings = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return settings;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (!line.isBlank() && !line.startsWith("#") && eq > 0) {
                    settings.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return settings;
    }

    private Path jar(String module) {
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build with `mvn -B package -DskipTests` at the root first.");
        }
        return jar;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * What one import of a realm file took: authorize-service run with latchkey.realm.exit-after-import, as
     * {@code ./latchkey import} runs it.
     *
     * @param exitCode          0 when the file was imported
     * @param wallSeconds       from the JVM's launch to its exit
     * @param importSeconds     from the directory's migration to "Realm ... imported" in its log (reading,
     *                          converting, validating and writing the file), NaN if the log does not say
     * @param readSeconds       from the migration until the file was read and converted (a Keycloak export
     *                          logs it), NaN if the log does not say
     * @param maxHeapAfterGcMib the most heap still in use after a collection (the GC log), a floor for -Xmx
     * @param peakRssMib        peak resident memory of the import's JVM
     * @param cpuSeconds        CPU of the import's JVM and of PostgreSQL over the import
     * @param failure           the reason it failed, from its log, or null
     */
    public record ImportRun(String file, long users, String heap, int exitCode, double wallSeconds, double importSeconds,
            double readSeconds, double maxHeapAfterGcMib, double peakRssMib, Map<String, Double> cpuSeconds, String failure) {

        public double usersPerSecond() {
            return users / importSeconds;
        }
    }

    /** Imports {@code realmFile} of {@code users} users into this stack's directory with a JVM of {@code heap} (-Xmx). */
    public ImportRun importRealm(Path realmFile, long users, String heap, String name) {
        if (postgres == null) {
            throw new IllegalStateException("this checkout keeps no directory in PostgreSQL");
        }
        Path gcLog = logs.resolve(name + "-gc.log");
        List<String> command = List.of(java(), "-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError", "-Xlog:gc:file=" + gcLog,
                "-jar", jar("authorize-service").toString());
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_PORT", "0");
        env.put("QUARKUS_MANAGEMENT_PORT", "0");
        env.put("LATCHKEY_REALM_FILE", realmFile.toAbsolutePath().toString());
        env.put("LATCHKEY_REALM_EXIT_AFTER_IMPORT", "true");
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.url());
        env.put("QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:" + redisPort);
        ServerMeter postgresMeter = new ServerMeter(() -> Map.of("postgres", postgres.pid()));
        ServerMeter.Sample postgresBefore = postgresMeter.sample();
        long start = System.nanoTime();
        ServerProcess run = ServerProcess.launch(name, command, env, root, logs);
        ServerMeter jvm = new ServerMeter(Map.of(name, run.pid()));
        // /proc of the JVM is gone once it exits: its CPU and peak memory are read while it runs.
        double cpu = 0;
        double rss = 0;
        int exit = -1;
        long deadline = start + Duration.ofMinutes(30).toNanos();
        while (System.nanoTime() < deadline) {
            double c = jvm.sample().cpuSeconds().getOrDefault(name, 0.0);
            cpu = Math.max(cpu, c);
            rss = Math.max(rss, jvm.peakRssMib().getOrDefault(name, 0.0));
            exit = run.awaitExit(Duration.ofMillis(100));
            if (exit >= 0 || !run.alive()) {
                exit = run.awaitExit(Duration.ofSeconds(5));
                break;
            }
        }
        double wall = (System.nanoTime() - start) / 1e9;
        if (run.alive()) {
            run.close();
        }
        Map<String, Double> cpuSeconds = new LinkedHashMap<>();
        cpuSeconds.put(name, cpu);
        cpuSeconds.put("postgres", postgresMeter.sample().cpuSecondsSince(postgresBefore).get("postgres"));
        List<String> log = lines(run.log());
        Optional<LocalDateTime> migrated = at(log, "Directory schema at");
        Optional<LocalDateTime> read = at(log, "is Keycloak");
        Optional<LocalDateTime> imported = at(log, "imported:");
        return new ImportRun(realmFile.getFileName().toString(), users, heap, exit, wall, seconds(migrated, imported),
                seconds(migrated, read), maxHeapAfterGc(gcLog), rss, cpuSeconds, exit == 0 ? null : failure(log));
    }

    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");
    private static final Pattern AFTER_GC = Pattern.compile("->(\\d+)M\\(");

    private static Optional<LocalDateTime> at(List<String> log, String marker) {
        return log.stream().filter(l -> l.contains(marker) && l.length() > 23).findFirst().map(l -> {
            try {
                return LocalDateTime.parse(l.substring(0, 23), LOG_TIME);
            } catch (RuntimeException e) {
                return null;
            }
        });
    }

    private static double seconds(Optional<LocalDateTime> from, Optional<LocalDateTime> to) {
        if (from.isEmpty() || to.isEmpty()) {
            return Double.NaN;
        }
        return Duration.between(from.get(), to.get()).toMillis() / 1000.0;
    }

    private static double maxHeapAfterGc(Path gcLog) {
        double max = 0;
        for (String line : lines(gcLog)) {
            Matcher m = AFTER_GC.matcher(line);
            while (m.find()) {
                max = Math.max(max, Double.parseDouble(m.group(1)));
            }
        }
        return max;
    }

    /** The first line that says why: Latchkey's own exception, else an OutOfMemoryError, else the last ERROR. */
    private static String failure(List<String> log) {
        return log.stream().filter(l -> l.startsWith("Caused by: io.latchkey")).reduce((a, b) -> b)
                .or(() -> log.stream().filter(l -> l.contains("OutOfMemoryError")).findFirst())
                .or(() -> log.stream().filter(l -> l.contains(" ERROR ")).reduce((a, b) -> b))
                .map(l -> l.length() > 400 ? l.substring(0, 400) + "…" : l)
                .orElse("(no reason in the log)");
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    public String issuer() {
        return issuer;
    }

    /** The private PostgreSQL, or null for a checkout from before the directory moved there. */
    public PostgresServer postgres() {
        return postgres;
    }

    /** The processes whose CPU and memory count as Latchkey's, by name, as they are now. */
    public Map<String, Long> pids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        processes.forEach(p -> pids.put(p.name(), p.pid()));
        if (postgres != null) {
            pids.put("postgres", postgres.pid());
        }
        return pids;
    }

    /** A meter of {@link #pids()}, which follows PostgreSQL across a restart. */
    public ServerMeter meter() {
        return new ServerMeter(this::pids);
    }

    public Map<String, Long> readyMillis() {
        Map<String, Long> ready = new LinkedHashMap<>();
        processes.stream().filter(p -> !"redis".equals(p.name())).forEach(p -> ready.put(p.name(), p.readyMillis()));
        return ready;
    }

    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }
}
