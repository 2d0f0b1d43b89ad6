package io.latchkey.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClusterSlotTest {

    @Test
    void matchesTheRedisClusterSpecification() {
        // The values given in the Redis Cluster specification and by CLUSTER KEYSLOT.
        assertThat(ClusterSlot.of("123456789")).isEqualTo(0x31C3 % 16384);
        assertThat(ClusterSlot.of("foo")).isEqualTo(12182);
        assertThat(ClusterSlot.of("{user1000}.following")).isEqualTo(ClusterSlot.of("{user1000}.followers"));
        assertThat(ClusterSlot.of("foo{}{bar}")).isEqualTo(ClusterSlot.of("foo{}{bar}"));
    }
}
