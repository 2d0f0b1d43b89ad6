package io.latchkey.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} application at the {@link TestRedis} of this JVM, with Dev Services off.
 */
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of(
                "quarkus.redis.hosts", TestRedis.get().url(),
                "quarkus.redis.devservices.enabled", "false");
    }

    @Override
    public void stop() {
        // The server outlives one application: every test class of the JVM shares it.
    }
}
