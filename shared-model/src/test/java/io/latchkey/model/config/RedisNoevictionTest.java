package io.latchkey.model.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.model.config.LatchkeyConfig.EvictionPolicyCheck;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The test Redis is a plain redis-server, whose policy is noeviction: the default, enforce, starts. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class RedisNoevictionTest {

    @Inject
    RedisEvictionPolicyCheck check;

    @Inject
    LatchkeyConfig config;

    @Test
    void enforceStartsOnANoevictionRedis() {
        assertThat(config.redis().evictionPolicyCheck()).isEqualTo(EvictionPolicyCheck.ENFORCE);
        assertThat(check.check(EvictionPolicyCheck.ENFORCE)).contains("noeviction");
    }
}
