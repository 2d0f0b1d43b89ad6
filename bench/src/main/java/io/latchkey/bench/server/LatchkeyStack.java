package io.latchkey.bench.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Latchkey as the comparison runs it: a private redis-server, authorize-service and token-service as the
 * packaged applications, each its own process on a free loopback port, with the benchmark realm.
 * Redis counts as part of Latchkey: its CPU is charged to Latchkey's operations.
 */
public final class LatchkeyStack implements AutoCloseable {

    /**
     * The services' JVM options in the comparison, as for a small pod: a 128 MiB heap (two Argon2id hashes
     * at once need 38 MiB of it) and the serial collector, which the JVM picks by itself in a container
     * with one CPU or less than 1.8 GiB. Against G1 with 256 MiB, in one run, they took the peak RSS of
     * authorize-service from 417 to 282 MiB and of token-service from 285 to 240 MiB, at no cost in CPU
     * per operation.
     */
    public static final List<String> JVM_OPTIONS = List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError");

    private final List<ServerProcess> processes = new ArrayList<>();
    private final String issuer;
    private final Path profiles;

    private LatchkeyStack(Path root, Path realm, Path logs, Map<String, String> extraEnv, Path profiles) {
        this.profiles = profiles;
        int redisPort = ServerProcess.freePort();
        int authorizePort = ServerProcess.freePort();
        int tokenPort = ServerProcess.freePort();
        // Health and metrics answer on each service's management interface, on free ports of their own.
        int authorizeManagementPort = ServerProcess.freePort();
        int tokenManagementPort = ServerProcess.freePort();
        issuer = "http://localhost:" + authorizePort;
        try {
            ServerProcess redis = ServerProcess.launch("redis", List.of("redis-server", "--port", Integer.toString(redisPort),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"), Map.of(), root, logs);
            processes.add(redis);
            redis.awaitPort(redisPort, Duration.ofSeconds(20));
            Map<String, String> env = new LinkedHashMap<>();
            env.put("LATCHKEY_ISSUER", issuer);
            env.put("LATCHKEY_TOKEN_SERVICE_URL", "http://localhost:" + tokenPort);
            env.put("LATCHKEY_REALM_FILE", realm.toAbsolutePath().toString());
            env.put("QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:" + redisPort);
            env.putAll(extraEnv);
            // One after the other, so each start-up is timed on the machine's cores alone, as Keycloak's is.
            service(root, logs, "authorize-service", authorizePort, authorizeManagementPort, env)
                    .awaitHttp("http://127.0.0.1:" + authorizeManagementPort + "/q/health/ready", Duration.ofSeconds(90));
            service(root, logs, "token-service", tokenPort, tokenManagementPort, env)
                    .awaitHttp("http://127.0.0.1:" + tokenManagementPort + "/q/health/ready", Duration.ofSeconds(90));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** @param profiles where each service writes a Java Flight Recording (MODULE.jfr), or null for none */
    public static LatchkeyStack start(Path root, Path realm, Path logs, Map<String, String> extraEnv, Path profiles) {
        return new LatchkeyStack(root, realm, logs, extraEnv, profiles);
    }

    private ServerProcess service(Path root, Path logs, String module, int port, int managementPort, Map<String, String> env) {
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build with `mvn -B package -DskipTests` at the root first.");
        }
        Map<String, String> own = new LinkedHashMap<>(env);
        own.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        own.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        if (profiles != null) {
            try {
                Files.createDirectories(profiles);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot create " + profiles + ": " + e.getMessage(), e);
            }
            command.add("-XX:StartFlightRecording=settings=profile,filename=" + profiles.resolve(module + ".jfr").toAbsolutePath());
        }
        command.addAll(List.of("-jar", jar.toString()));
        ServerProcess process = ServerProcess.launch(module, command, own, root, logs);
        processes.add(process);
        return process;
    }

    public String issuer() {
        return issuer;
    }

    /** The processes whose CPU and memory count as Latchkey's, by name. */
    public Map<String, Long> pids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        processes.forEach(p -> pids.put(p.name(), p.pid()));
        return pids;
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
    }
}
