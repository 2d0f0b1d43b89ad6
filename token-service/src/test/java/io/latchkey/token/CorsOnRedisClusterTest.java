package io.latchkey.token;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.model.store.RedisKeys;
import io.latchkey.testing.ClusterSlot;
import io.latchkey.testing.RedisClusterTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * CORS on a three-node Redis Cluster. The allowed origins used to be found with {@code SCAN lk:client:*},
 * which a cluster answers from one node only: the origins of clients whose keys lived elsewhere were
 * refused. They now come from one index key.
 */
@QuarkusTest
@TestProfile(CorsOnRedisClusterTest.OnARedisCluster.class)
class CorsOnRedisClusterTest {

    public static class OnARedisCluster implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RedisClusterTestResource.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            // The cluster client learns the slot map on its first call: on a busy test machine that can take
            // longer than the 1 s the other tests allow.
            return Map.of("latchkey.redis.timeout", "10s");
        }
    }

    /** Clients of the test realm with their origins (from their redirect URIs). */
    private static final Map<String, String> ORIGINS = Map.of(
            "spa", "http://localhost:5173",
            "spa-es256", "http://localhost:5174",
            "spa-eddsa", "http://localhost:5175",
            "other-spa", "https://other.example",
            "no-refresh", "https://norefresh.example",
            "backend", "https://backend.example");

    @Test
    void preflightWhenTheClientsKeyIsOnAnyNodeOfTheClusterThenAllowed() {
        Config config = ConfigProvider.getConfig();
        assertThat(config.getValue("quarkus.redis.client-type", String.class)).isEqualTo("cluster");
        assertThat(config.getValue("quarkus.redis.hosts", String.class).split(",")).as("the three seed nodes").hasSize(3);
        // redis-cli --cluster create gives three masters a third of the 16384 slots each, in order.
        Set<Integer> nodes = ORIGINS.keySet().stream().map(id -> ClusterSlot.of(RedisKeys.client(id)) * 3 / 16384)
                .collect(Collectors.toSet());
        assertThat(nodes).as("the clients' keys are spread over all three nodes").containsExactlyInAnyOrder(0, 1, 2);

        ORIGINS.forEach((client, origin) -> given().header("Origin", origin).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type").options("/token")
                .then().statusCode(204)
                .header("Access-Control-Allow-Origin", origin)
                .header("Vary", "Origin"));
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST").options("/token")
                .then().statusCode(403);
    }
}
