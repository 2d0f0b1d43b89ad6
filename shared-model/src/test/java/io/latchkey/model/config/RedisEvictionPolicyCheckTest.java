package io.latchkey.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.model.config.LatchkeyConfig.EvictionPolicyCheck;
import io.latchkey.testing.TestRedis;
import io.quarkus.redis.client.RedisClientName;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The application of this class runs on a real redis-server started with {@code --maxmemory-policy
 * volatile-lru} and {@code latchkey.redis.eviction-policy-check=warn}: it starts, and says why it should
 * not have. Two more real servers hide their policy: one has CONFIG renamed away (as managed Redis does),
 * one CONFIG and INFO.
 */
@QuarkusTest
@TestProfile(RedisEvictionPolicyCheckTest.VolatileLruRedis.class)
class RedisEvictionPolicyCheckTest {

    static final Path LOG = Path.of("target", "eviction-policy-check.log");

    @Inject
    RedisEvictionPolicyCheck check;

    @Inject
    LatchkeyConfig config;

    @Inject
    @RedisClientName("config-renamed")
    ReactiveRedisDataSource configRenamed;

    @Inject
    @RedisClientName("blind")
    ReactiveRedisDataSource blind;

    @Test
    void startUpWithWarnOnAnEvictingRedisStartsAndLogsAWarning() throws IOException {
        // This test runs, so the application started; its start-up wrote the warning.
        assertThat(Files.readAllLines(LOG)).anySatisfy(line -> assertThat(line)
                .contains("WARN").contains("Redis maxmemory-policy is volatile-lru")
                .contains("latchkey.redis.eviction-policy-check=warn"));
    }

    @Test
    void enforceRefusesAnEvictingRedis() {
        assertThatThrownBy(() -> check.check(EvictionPolicyCheck.ENFORCE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("maxmemory-policy is volatile-lru")
                .hasMessageContaining("Set maxmemory-policy noeviction");
    }

    @Test
    void whereConfigIsRenamedThePolicyIsReadFromInfo() {
        var onConfigRenamed = new RedisEvictionPolicyCheck(configRenamed, config);

        assertThatThrownBy(() -> onConfigRenamed.check(EvictionPolicyCheck.ENFORCE))
                .hasMessageContaining("maxmemory-policy is volatile-lru");
    }

    @Test
    void whereNeitherConfigNorInfoAnswersEnforceRefusesAndWarnStarts() {
        var onBlind = new RedisEvictionPolicyCheck(blind, config);

        assertThatThrownBy(() -> onBlind.check(EvictionPolicyCheck.ENFORCE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("maxmemory-policy cannot be read")
                .hasMessageContaining("latchkey.redis.eviction-policy-check=warn");
        assertThat(onBlind.check(EvictionPolicyCheck.WARN)).isEmpty();
    }

    public static class VolatileLruRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "latchkey.redis.eviction-policy-check", "warn",
                    "quarkus.log.file.enabled", "true",
                    "quarkus.log.file.path", LOG.toString());
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Servers.class));
        }
    }

    /** Three private servers for this class alone, ended with its application. */
    public static class Servers implements QuarkusTestResourceLifecycleManager {
        private List<TestRedis> servers = List.of();

        @Override
        public Map<String, String> start() {
            try {
                Files.deleteIfExists(LOG);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            TestRedis volatileLru = TestRedis.startPrivate("--maxmemory-policy", "volatile-lru");
            TestRedis configRenamed = TestRedis.startPrivate("--maxmemory-policy", "volatile-lru",
                    "--rename-command", "CONFIG", "");
            TestRedis blind = TestRedis.startPrivate("--maxmemory-policy", "volatile-lru",
                    "--rename-command", "CONFIG", "", "--rename-command", "INFO", "");
            servers = List.of(volatileLru, configRenamed, blind);
            return Map.of(
                    "quarkus.redis.hosts", volatileLru.url(),
                    "quarkus.redis.config-renamed.hosts", configRenamed.url(),
                    "quarkus.redis.blind.hosts", blind.url(),
                    "quarkus.redis.devservices.enabled", "false");
        }

        @Override
        public void stop() {
            servers.forEach(TestRedis::shutdown);
        }
    }

}
