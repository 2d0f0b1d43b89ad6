package io.latchkey.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testing.TestPostgres;
import io.latchkey.testing.TestRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged services on a real redis-server started with {@code --maxmemory-policy volatile-lru}, the
 * managed-Redis default that would silently evict revocations, tombstones and throttles.
 */
class RedisEvictionPolicyStartTest {

    /** Each service and a path it answers once started (not health, which the management port serves). */
    private static final Map<String, String> SERVICES = Map.of(
            "authorize-service", "/.well-known/openid-configuration",
            "token-service", "/jwks");
    private static final Duration START = Duration.ofSeconds(90);

    private static TestRedis evicting;

    @BeforeAll
    static void evictingRedis() {
        evicting = TestRedis.startPrivate("--maxmemory-policy", "volatile-lru");
    }

    @AfterAll
    static void stopRedis() {
        evicting.shutdown();
    }

    private static ServiceProcess launch(String module, String name, Map<String, String> extraEnv) throws IOException {
        Path jar = Stack.root().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        assertThat(jar).as("run through mvn verify, which packages the services first").exists();
        int port = TestRedis.freePort();
        Map<String, String> env = new HashMap<>(Map.of(
                "QUARKUS_HTTP_PORT", Integer.toString(port),
                "QUARKUS_MANAGEMENT_PORT", Integer.toString(TestRedis.freePort()),
                "LATCHKEY_ISSUER", "http://localhost:" + port,
                "QUARKUS_REDIS_HOSTS", evicting.url(),
                "QUARKUS_DATASOURCE_REACTIVE_URL", TestPostgres.get().reactiveUrl()));
        env.putAll(extraEnv);
        return ServiceProcess.start(name, port,
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-jar", jar.toString()),
                env, Stack.root());
    }

    @Test
    void startUpWhenRedisMayEvictThenEachServiceRefusesToStartAndSaysWhy() throws Exception {
        for (String module : SERVICES.keySet()) {
            try (ServiceProcess service = launch(module, module + "-evicting-enforce", Map.of())) {
                assertThat(service.awaitExit(START)).as(module + " exit code").isNotZero();
                assertThat(Files.readString(service.log)).as(module)
                        .contains("Redis maxmemory-policy is volatile-lru")
                        .contains("Set maxmemory-policy noeviction");
            }
        }
    }

    @Test
    void startUpWhenRedisMayEvictAndTheCheckIsWarnThenEachServiceStartsWithAWarning() throws Exception {
        for (var entry : SERVICES.entrySet()) {
            String module = entry.getKey();
            try (ServiceProcess service = launch(module, module + "-evicting-warn",
                    Map.of("LATCHKEY_REDIS_EVICTION_POLICY_CHECK", "warn"))) {
                service.awaitReady(entry.getValue(), START);
                assertThat(Files.readString(service.log)).as(module)
                        .containsPattern("WARN .*Redis maxmemory-policy is volatile-lru.*"
                                + "Starting anyway because latchkey.redis.eviction-policy-check=warn");
            }
        }
    }
}
