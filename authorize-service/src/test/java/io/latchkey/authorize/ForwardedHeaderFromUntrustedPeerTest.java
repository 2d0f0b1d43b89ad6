package io.latchkey.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.model.store.RedisKeys;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** A client that is not a trusted proxy cannot pick its address with X-Forwarded-For. */
@QuarkusTest
@TestProfile(ProxyProfiles.OtherTrustedProxy.class)
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ForwardedHeaderFromUntrustedPeerTest {

    @Test
    void loginWhenForwardedHeaderFromUntrustedPeerThenThrottleKeysOnThePeer() {
        String claimed = "203.0.113." + (1 + (int) (Math.random() * 250));
        TestRedis.get().command("DEL", RedisKeys.loginThrottle("address", claimed));
        String peerBefore = ForwardedAddressTest.failures("127.0.0.1");
        ForwardedAddressTest.failOneLogin(claimed);
        assertThat(TestRedis.get().command("EXISTS", RedisKeys.loginThrottle("address", claimed))).isEqualTo("0");
        assertThat(Integer.parseInt(ForwardedAddressTest.failures("127.0.0.1")))
                .isEqualTo(peerBefore == null ? 1 : Integer.parseInt(peerBefore) + 1);
    }
}
