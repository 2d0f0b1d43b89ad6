package io.latchkey.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.testing.TestRedisCluster;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * token-service configured for Redis Cluster by settings alone (QUARKUS_REDIS_CLIENT_TYPE=cluster and the
 * seed nodes), against a real three-node cluster: exchanges and rotations of families spread over every
 * node, with no CROSSSLOT error anywhere.
 */
class ClusterTokenServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Also the production way to hold keys: a JWK set made by SigningKeySecret (staged and promoted, as in a
     * rotation) in the file LATCHKEY_KEYS_FILE names. token-service publishes every key and signs with the
     * first of the algorithm.
     */
    @Test
    void codeExchangeRotationAndReuseWorkOnAClusterConfiguredBySettingsOnly(@TempDir Path dir) throws Exception {
        String first = SigningKeySecret.run(List.of("generate"), () -> "");
        String keySet = SigningKeySecret.run(List.of("rotate"), () -> first);
        Path keys = dir.resolve("jwks.json");
        SigningKeySecret.write(keys, keySet);
        List<String> kids = new ArrayList<>();
        JSON.readTree(keySet).path("keys").forEach(k -> kids.add(k.path("kid").asText()));
        try (TestRedisCluster cluster = new TestRedisCluster();
                PackagedService tokenService = PackagedService.start("cluster", Map.of(
                        "QUARKUS_REDIS_CLIENT_TYPE", "cluster",
                        "QUARKUS_REDIS_HOSTS", String.join(",", cluster.urls()),
                        "LATCHKEY_KEYS_FILE", keys.toString(),
                        // As the production overlay logs, and with every class's debug detail.
                        "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true",
                        "QUARKUS_LOG_LEVEL", "DEBUG"));
                CodeIssuer issuer = new CodeIssuer(clusterOptions(cluster))) {
            Set<String> signedWith = new HashSet<>();
            List<String> secrets = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                CodeIssuer.IssuedCode code = issuer.issue();
                HttpResponse<String> tokens = tokenService.redeem(code.code(), code.verifier());
                assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
                String refreshToken = JSON.readTree(tokens.body()).path("refresh_token").asText();
                signedWith.add(kid(JSON.readTree(tokens.body()).path("id_token").asText()));
                secrets.addAll(List.of(code.code(), code.verifier(), refreshToken,
                        JSON.readTree(tokens.body()).path("access_token").asText(),
                        JSON.readTree(tokens.body()).path("id_token").asText()));
                assertThat(refreshToken).isNotBlank();

                HttpResponse<String> rotated = tokenService.refresh(refreshToken);
                assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
                assertThat(JSON.readTree(rotated.body()).path("refresh_token").asText()).isNotEqualTo(refreshToken);
                secrets.add(JSON.readTree(rotated.body()).path("refresh_token").asText());
                secrets.add(JSON.readTree(rotated.body()).path("access_token").asText());

                // Reuse of the rotated token revokes the family (RFC 9700 4.14.2); a replayed code is refused.
                assertThat(SentinelFailoverTest.error(tokenService.refresh(refreshToken))).isEqualTo("invalid_grant");
                assertThat(SentinelFailoverTest.error(tokenService.redeem(code.code(), code.verifier()))).isEqualTo("invalid_grant");
            }
            assertThat(tokenService.log()).doesNotContain("CROSSSLOT").doesNotContain("MOVED");

            // Metrics: tokens by grant type, redemptions and replays, errors by code, Redis latency.
            Prometheus metrics = tokenService.metrics();
            assertThat(metrics.value("latchkey_tokens_issued_total", Map.of("grant_type", "authorization_code"))).isEqualTo(20);
            assertThat(metrics.value("latchkey_tokens_issued_total", Map.of("grant_type", "refresh_token"))).isEqualTo(20);
            assertThat(metrics.value("latchkey_code_redemptions_total", Map.of("outcome", "redeemed"))).isEqualTo(20);
            assertThat(metrics.value("latchkey_code_redemptions_total", Map.of("outcome", "replayed"))).isEqualTo(20);
            assertThat(metrics.value("latchkey_oauth_errors_total", Map.of("error", "invalid_grant", "endpoint", "/token")))
                    .isEqualTo(40);
            assertThat(metrics.value("latchkey_redis_calls_seconds_count", Map.of("outcome", "ok")))
                    .as("every exchange, rotation and reuse made at least one timed Redis call").isGreaterThanOrEqualTo(80);

            // Logs: one JSON object a line, and no code, verifier or token in any of them.
            String log = tokenService.log();
            List<String> lines = log.lines().filter(l -> !l.isBlank()).toList();
            assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(JSON.readTree(line).has("message"))
                    .as("a JSON log record: " + line).isTrue());
            assertThat(lines).as("debug records of every logger were written, and checked").anySatisfy(line ->
                    assertThat(JSON.readTree(line).path("level").asText()).isEqualTo("DEBUG"));
            assertThat(secrets).hasSize(140).allSatisfy(secret -> assertThat(log).doesNotContain(secret));

            JsonNode published = JSON.readTree(tokenService.jwks().body()).path("keys");
            List<String> publishedKids = new ArrayList<>();
            published.forEach(k -> {
                publishedKids.add(k.path("kid").asText());
                assertThat(k.has("d")).as("no private part at /jwks").isFalse();
            });
            assertThat(publishedKids).containsExactlyInAnyOrderElementsOf(kids);
            assertThat(signedWith).as("the promoted RS256 key signs").containsOnly(kids.get(0));
        }
    }

    private static String kid(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.substring(0, jwt.indexOf('.')))).path("kid").asText();
    }

    private static RedisOptions clusterOptions(TestRedisCluster cluster) {
        RedisOptions options = new RedisOptions().setType(RedisClientType.CLUSTER);
        cluster.urls().forEach(options::addConnectionString);
        return options;
    }
}
