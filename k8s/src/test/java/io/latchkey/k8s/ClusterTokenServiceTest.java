package io.latchkey.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.testing.TestRedisCluster;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * token-service configured for Redis Cluster by settings alone (QUARKUS_REDIS_CLIENT_TYPE=cluster and the
 * seed nodes), against a real three-node cluster: exchanges and rotations of families spread over every
 * node, with no CROSSSLOT error anywhere.
 */
class ClusterTokenServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void codeExchangeRotationAndReuseWorkOnAClusterConfiguredBySettingsOnly() throws Exception {
        try (TestRedisCluster cluster = new TestRedisCluster();
                TokenServiceProcess tokenService = TokenServiceProcess.start("cluster", Map.of(
                        "QUARKUS_REDIS_CLIENT_TYPE", "cluster",
                        "QUARKUS_REDIS_HOSTS", String.join(",", cluster.urls())));
                CodeIssuer issuer = new CodeIssuer(clusterOptions(cluster))) {
            for (int i = 0; i < 20; i++) {
                CodeIssuer.IssuedCode code = issuer.issue();
                HttpResponse<String> tokens = tokenService.redeem(code.code(), code.verifier());
                assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
                String refreshToken = JSON.readTree(tokens.body()).path("refresh_token").asText();
                assertThat(refreshToken).isNotBlank();

                HttpResponse<String> rotated = tokenService.refresh(refreshToken);
                assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
                assertThat(JSON.readTree(rotated.body()).path("refresh_token").asText()).isNotEqualTo(refreshToken);

                // Reuse of the rotated token revokes the family (RFC 9700 4.14.2); a replayed code is refused.
                assertThat(SentinelFailoverTest.error(tokenService.refresh(refreshToken))).isEqualTo("invalid_grant");
                assertThat(SentinelFailoverTest.error(tokenService.redeem(code.code(), code.verifier()))).isEqualTo("invalid_grant");
            }
            assertThat(tokenService.log()).doesNotContain("CROSSSLOT").doesNotContain("MOVED");
        }
    }

    private static RedisOptions clusterOptions(TestRedisCluster cluster) {
        RedisOptions options = new RedisOptions().setType(RedisClientType.CLUSTER);
        cluster.urls().forEach(options::addConnectionString);
        return options;
    }
}
