package io.latchkey.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} application at a private three-node {@link TestRedisCluster} in cluster
 * mode, as production's QUARKUS_REDIS_CLIENT_TYPE=cluster does. Started after {@link RedisTestResource}
 * (which other test classes of the module declare for every application) so that its settings win.
 */
public class RedisClusterTestResource implements QuarkusTestResourceLifecycleManager {

    private TestRedisCluster cluster;

    @Override
    public Map<String, String> start() {
        try {
            cluster = new TestRedisCluster();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the test Redis Cluster", e);
        }
        return Map.of(
                "quarkus.redis.hosts", String.join(",", cluster.urls()),
                "quarkus.redis.client-type", "cluster",
                "quarkus.redis.devservices.enabled", "false");
    }

    @Override
    public int order() {
        return 100;
    }

    @Override
    public void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
