package io.latchkey.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.latchkey.testing.TestRedis;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Not only the names: the values each overlay gives each service start it. Every packaged service runs
 * with its container's environment as the overlay renders it (issuer, lifetimes, timeouts, log format,
 * JVM options) and the realm from the overlay's ConfigMap; only what needs the cluster is swapped for a
 * local stand-in (Redis, PostgreSQL, the mounted files' paths, the signing-key Secret). The services start in
 * the order of a new cluster's first rollout, sharing one new database: authorize-service migrates it and
 * imports the realm, then token-service, which does neither, serves the clients it finds there, then
 * admin-service, which finds the schema migrated and imports nothing.
 */
class OverlaySettingsStartTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theServicesStartWithTheOverlaysSettingsAndRealm(String overlay, @TempDir Path dir) throws Exception {
        Rendered rendered = Kustomize.overlay(overlay);
        // Each overlay starts on an empty Redis and an empty database, as in a new cluster.
        TestRedis.get().command("FLUSHALL");
        TestDatabase database = TestDatabase.create("overlay-" + overlay);
        List<String> realmClients = new ArrayList<>();
        List<String> publicClients = new ArrayList<>();
        for (String service : Rendered.SERVICES) {
            Map<String, String> env = new HashMap<>(rendered.environment(rendered.container(service)));
            // Values from Secrets (the Redis password, the PostgreSQL connection) name the cluster's servers.
            env.values().removeIf(v -> v.startsWith("<secret "));
            // Sentinel (production) is proven by SentinelFailoverTest; here one local Redis stands in.
            List.of("QUARKUS_REDIS_CLIENT_TYPE", "QUARKUS_REDIS_MASTER_NAME", "QUARKUS_REDIS_ROLE").forEach(env::remove);
            env.put("QUARKUS_REDIS_HOSTS", TestRedis.get().url());
            env.putAll(database.settings());

            if (env.containsKey("LATCHKEY_REALM_FILE")) {
                EveryOverlayTest.Mounted realm = EveryOverlayTest.mountedFile(rendered, service, env.get("LATCHKEY_REALM_FILE"));
                String yaml = rendered.named(ConfigMap.class, realm.volume().getConfigMap().getName()).getData().get(realm.key());
                Path realmFile = dir.resolve(overlay + "-" + service + "-realm.yaml");
                Files.writeString(realmFile, yaml);
                env.put("LATCHKEY_REALM_FILE", realmFile.toString());
                new ObjectMapper(new YAMLFactory()).readTree(yaml).path("clients").forEach(c -> {
                    realmClients.add(c.path("clientId").asText());
                    if (c.path("type").asText().equals("public")) {
                        publicClients.add(c.path("clientId").asText());
                    }
                });
            }
            if (env.containsKey("LATCHKEY_KEYS_FILE")) {
                Path keys = dir.resolve(overlay + "-" + service + "-jwks.json");
                SigningKeySecret.write(keys, SigningKeySecret.run(List.of("generate"), () -> ""));
                env.put("LATCHKEY_KEYS_FILE", keys.toString());
            }

            try (PackagedService process = PackagedService.launch(service, overlay, env, false)) {
                assertThat(process.readiness()).as(overlay + "/" + service + " ready:\n" + process.log()).isEqualTo(200);
                // Health and metrics answer on the management port only, never where the Ingress sends traffic.
                for (String path : List.of("/q/health/ready", "/q/health/live", "/q/metrics")) {
                    assertThat(process.trafficStatus(path)).as(overlay + "/" + service + " traffic port " + path).isEqualTo(404);
                }
                if (service.equals("authorize-service")) {
                    JsonNode discovery = JSON.readTree(process.discovery().body());
                    assertThat(discovery.path("issuer").asText()).isEqualTo(env.get("LATCHKEY_ISSUER"));
                    assertThat(discovery.path("token_endpoint").asText())
                            .isEqualTo(env.get("LATCHKEY_TOKEN_SERVICE_URL") + "/token");
                    // It bootstrapped the directory: the schema, and the realm's clients in it.
                    assertThat(realmClients).as(overlay + " realm clients").isNotEmpty();
                    assertThat(database.queryOne("SELECT string_agg(client_id, ',' ORDER BY client_id) FROM clients"))
                            .isEqualTo(String.join(",", realmClients.stream().sorted().toList()));
                } else if (service.equals(Rendered.ADMIN_SERVICE)) {
                    // admin-service mounts no realm, and its API answers only to a token (RFC 6750 challenge).
                    assertThat(env).as(overlay + "/" + service).doesNotContainKey("LATCHKEY_REALM_FILE");
                    assertThat(process.trafficStatus("/admin/users/nobody/sessions")).as(overlay + " admin call without a token")
                            .isEqualTo(401);
                    assertThat(database.queryOne("SELECT count(*) FROM clients")).as("it imported no second realm")
                            .isEqualTo(Integer.toString(realmClients.size()));
                } else {
                    // token-service mounts no realm and imports nothing, yet knows the realm's clients: a public
                    // client's refresh with a token nobody issued is refused as a grant, not as an unknown client.
                    assertThat(env).as(overlay + "/" + service).doesNotContainKey("LATCHKEY_REALM_FILE");
                    assertThat(publicClients).as(overlay + " realm's public clients").isNotEmpty();
                    for (String client : publicClients) {
                        HttpResponse<String> refused = process.token(Map.of("grant_type", "refresh_token",
                                "refresh_token", "not-a-token", "client_id", client));
                        assertThat(SentinelFailoverTest.error(refused)).as(client + ": " + refused.body())
                                .isNotEqualTo("invalid_client");
                    }
                    assertThat(process.token(Map.of("grant_type", "refresh_token", "refresh_token", "not-a-token",
                            "client_id", "nobody-registered-this")).statusCode()).isEqualTo(401);
                }
                boolean json = "true".equals(env.get("QUARKUS_LOG_CONSOLE_JSON_ENABLED"));
                String firstLine = process.log().lines().filter(l -> l.startsWith("{") || l.contains("INFO")).findFirst().orElse("");
                assertThat(firstLine.startsWith("{")).as(overlay + "/" + service + " logs JSON: " + firstLine).isEqualTo(json);
            }
        }
    }
}
