package io.latchkey.k8s;

import io.latchkey.testing.TestRedis;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A packaged service (its target/quarkus-app) in its own process, configured only by environment
 * variables, as a Deployment runs it; token-service by default, with a realm of one public client.
 */
final class PackagedService implements AutoCloseable {

    static final String CLIENT = "spa";
    static final String REDIRECT = "https://app.example.com/callback";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String module;
    private final Process process;
    private final int port;
    private final int managementPort;
    private final Path log;

    private PackagedService(String module, Process process, int port, int managementPort, Path log) {
        this.module = module;
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
    }

    /**
     * Starts token-service with these settings (QUARKUS_REDIS_*, ...) on a new PostgreSQL database of its own,
     * which it bootstraps with this realm, and waits until it is ready.
     */
    static PackagedService start(String name, Map<String, String> settings) throws IOException {
        Path dir = Files.createDirectories(Kustomize.root().resolve("k8s/target/token-service-" + name));
        Path realm = writeRealm(dir, "openid, profile, offline_access", "authorization_code, refresh_token");
        Map<String, String> env = new HashMap<>(TestDatabase.create("token-service-" + name).settings());
        env.putAll(settings);
        // In a cluster authorize-service migrates the directory and imports the realm, and token-service only reads
        // it (latchkey.directory.bootstrap=false in its application.properties). Here token-service runs alone, on
        // a new database: it bootstraps it itself, so that the realm's client is there for the exchanges.
        env.put("LATCHKEY_DIRECTORY_BOOTSTRAP", "true");
        env.put("LATCHKEY_REALM_FILE", realm.toString());
        env.putIfAbsent("LATCHKEY_REDIS_TIMEOUT", "1s");
        return launch("token-service", name, env, true);
    }

    /** The tests' realm in {@code dir}: the public client {@value #CLIENT} and the user alice (wonderland). */
    static Path writeRealm(Path dir, String scopes, String grantTypes) throws IOException {
        Path realm = dir.resolve("realm.yaml");
        Files.writeString(realm, """
                clients:
                  - clientId: %s
                    type: public
                    redirectUris: [%s]
                    scopes: [%s]
                    grantTypes: [%s]
                users:
                  - username: alice
                    password: wonderland
                """.formatted(CLIENT, REDIRECT, scopes, grantTypes));
        return realm;
    }

    /**
     * Starts a packaged service (authorize-service or token-service) with exactly these settings plus a free
     * QUARKUS_HTTP_PORT and QUARKUS_MANAGEMENT_PORT (health and metrics; the overlays' 9000 is a pod's own)
     * and, when {@code localIssuer}, LATCHKEY_ISSUER on the traffic port, and waits until it is ready.
     */
    static PackagedService launch(String module, String name, Map<String, String> settings, boolean localIssuer)
            throws IOException {
        Path jar = Kustomize.root().resolve(module + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package " + module + " first (mvn -B -pl " + module + " package)");
        }
        Path dir = Files.createDirectories(Kustomize.root().resolve("k8s/target/" + module + "-" + name));
        int port = TestRedis.freePort();
        int managementPort = TestRedis.freePort();
        Map<String, String> env = new HashMap<>(settings);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        if (localIssuer) {
            env.put("LATCHKEY_ISSUER", "http://localhost:" + port);
        }
        Path log = dir.resolve(module + ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString()))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("LATCHKEY_"));
        builder.environment().putAll(env);
        PackagedService service = new PackagedService(module, builder.start(), port, managementPort, log);
        service.awaitReady(Duration.ofSeconds(60));
        return service;
    }

    /** The exchange, sent without waiting for its answer. */
    java.util.concurrent.CompletableFuture<HttpResponse<String>> redeemAsync(String code, String verifier) {
        String body = Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT,
                "client_id", CLIENT, "code_verifier", verifier).entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/token"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** SIGTERM, as the kubelet sends after preStop; does not wait. */
    void terminate() {
        process.destroy();
    }

    /** Waits for the process to exit; true when it did within the timeout. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    HttpResponse<String> redeem(String code, String verifier) {
        return post("/token", Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT,
                "client_id", CLIENT, "code_verifier", verifier));
    }

    HttpResponse<String> refresh(String refreshToken) {
        return post("/token", Map.of("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", CLIENT));
    }

    /** A request to /token with this form, no client authentication beyond what the form carries. */
    HttpResponse<String> token(Map<String, String> form) {
        return post("/token", form);
    }

    /** The traffic port, the one the Service and the Ingress reach. */
    int port() {
        return port;
    }

    HttpResponse<String> jwks() {
        return get("/jwks");
    }

    Prometheus metrics() {
        HttpResponse<String> response = management("/q/metrics");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("/q/metrics answered " + response.statusCode());
        }
        return Prometheus.parse(response.body());
    }

    HttpResponse<String> discovery() {
        return get("/.well-known/openid-configuration");
    }

    int readiness() {
        return management("/q/health/ready").statusCode();
    }

    /** The status of a GET on the traffic port, the one the Service and the Ingress reach. */
    int trafficStatus(String path) {
        return get(path).statusCode();
    }

    boolean alive() {
        return process.isAlive();
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(module + " exited during start-up:\n" + log());
            }
            try {
                if (readiness() == 200) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                // not listening yet
            }
            sleep(200);
        }
        throw new IllegalStateException(module + " was not ready within " + timeout + ":\n" + log());
    }

    private HttpResponse<String> post(String path, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build());
    }

    private HttpResponse<String> management(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                .timeout(Duration.ofSeconds(10)).build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sleeps, keeping an interrupt for the caller; the k8s tests' one way to wait between polls. */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(java.util.concurrent.TimeUnit.SECONDS.toMillis(20), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
