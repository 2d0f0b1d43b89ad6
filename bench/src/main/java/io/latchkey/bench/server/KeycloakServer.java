package io.latchkey.bench.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keycloak from its distribution, in dev mode on loopback, with the benchmark realm imported into a fresh
 * database at each start (bench/realm/README.md explains every option).
 */
public final class KeycloakServer implements AutoCloseable {

    private final ServerProcess process;
    private final int port;
    private final List<String> options;

    private KeycloakServer(Path home, Path realm, Path logs) throws IOException {
        // Dev mode keeps its database (and with it the sessions of the last run) under data/; a reused one
        // also skips the realm import.
        deleteTree(home.resolve("data/h2"));
        deleteTree(home.resolve("data/transaction-logs"));
        Path imports = home.resolve("data/import");
        Files.createDirectories(imports);
        // Keycloak imports only a file named after its realm.
        Files.copy(realm, imports.resolve("bench-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        port = ServerProcess.freePort();
        int management = ServerProcess.freePort();
        options = new ArrayList<>(List.of("start-dev", "--http-host=127.0.0.1", "--http-port=" + port,
                "--http-management-port=" + management, "--health-enabled=true", "--import-realm",
                // Dev mode turns the theme caches off, which no production server runs without.
                "--spi-theme--cache-themes=true", "--spi-theme--cache-templates=true",
                // Latchkey's Argon2id cost. Without these Keycloak hashes with 7 MiB and re-hashes at every login.
                "--spi-password-hashing--argon2--memory=19456", "--spi-password-hashing--argon2--iterations=2",
                "--spi-password-hashing--argon2--parallelism=1", "--spi-password-hashing--argon2--hash-length=32",
                "--spi-password-hashing--argon2--type=id"));
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString()));
        command.addAll(options);
        // The JVM that runs the bench (Java 17 here) runs Keycloak too, with kc.sh's own heap settings.
        process = ServerProcess.launch("keycloak", command, Map.of("JAVA_HOME", System.getProperty("java.home")), home, logs);
        try {
            process.awaitHttp("http://127.0.0.1:" + management + "/health/ready", Duration.ofSeconds(180));
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
    }

    public static KeycloakServer start(Path home, Path realm, Path logs) {
        try {
            return new KeycloakServer(home, realm, logs);
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare Keycloak in " + home + ": " + e.getMessage(), e);
        }
    }

    public String issuer() {
        // Keycloak takes its issuer from the Host header; one name for the whole run.
        return "http://127.0.0.1:" + port + "/realms/bench";
    }

    public Map<String, Long> pids() {
        return Map.of("keycloak", process.pid());
    }

    public long readyMillis() {
        return process.readyMillis();
    }

    public List<String> notes() {
        return List.of("kc.sh " + String.join(" ", options) + " (heap: kc.sh's default, -Xms64m -Xmx512m)",
                "passwords: Argon2id, 19 MiB, 2 iterations, parallelism 1");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
