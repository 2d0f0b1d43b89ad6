package io.latchkey.bench.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Keycloak from its distribution, in dev mode on loopback, with the benchmark realm imported at start. */
public final class KeycloakServer implements AutoCloseable {

    private final ServerProcess process;
    private final int port;
    private final List<String> options;

    private KeycloakServer(Path home, Path realm, Path logs) throws IOException {
        Path imports = home.resolve("data/import");
        Files.createDirectories(imports);
        Files.copy(realm, imports.resolve("bench-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        port = ServerProcess.freePort();
        int management = ServerProcess.freePort();
        options = new ArrayList<>(List.of("start-dev", "--http-port=" + port, "--http-management-port=" + management,
                "--health-enabled=true", "--import-realm"));
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString()));
        command.addAll(options);
        process = ServerProcess.launch("keycloak", command, Map.of(), home, logs);
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
        return "http://localhost:" + port + "/realms/bench";
    }

    public Map<String, Long> pids() {
        return Map.of("keycloak", process.pid());
    }

    public long readyMillis() {
        return process.readyMillis();
    }

    public List<String> notes() {
        return List.of("kc.sh " + String.join(" ", options));
    }

    @Override
    public void close() {
        process.close();
    }
}
