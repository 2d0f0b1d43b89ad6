package io.latchkey.authorize;

import static io.latchkey.authorize.TestBrowser.validRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.model.store.RedisKeys;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** Behind a trusted proxy the per-address login throttle keys on the client address the proxy forwards. */
@QuarkusTest
@TestProfile(ProxyProfiles.TrustedLoopbackProxy.class)
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ForwardedAddressTest {

    /** Fails one login through the "proxy" for {@code forwardedFor}. */
    static void failOneLogin(String forwardedFor) {
        TestBrowser browser = new TestBrowser();
        browser.headers.put("X-Forwarded-For", forwardedFor);
        assertThat(browser.login(browser.authorize(validRequest()), "nobody-" + forwardedFor, "wrong").statusCode())
                .isEqualTo(401);
    }

    static String failures(String address) {
        return TestRedis.get().command("HGET", RedisKeys.loginThrottle("address", address), "failures");
    }

    @Test
    void loginWhenFromTrustedProxyThenThrottleKeysOnForwardedAddress() {
        String client = "203.0.113." + (1 + (int) (Math.random() * 250));
        TestRedis.get().command("DEL", RedisKeys.loginThrottle("address", client));
        String proxyBefore = failures("127.0.0.1");
        failOneLogin(client);
        assertThat(failures(client)).isEqualTo("1");
        assertThat(failures("127.0.0.1")).as("the proxy's own budget is untouched").isEqualTo(proxyBefore);
    }

    @Test
    void loginWhenForwardedIpv6ThenThrottleKeysOnItsSlash64() {
        String prefix = "2001:db8:" + Integer.toHexString(1 + (int) (Math.random() * 60000)) + ":7";
        String key = prefix + ":0:0:0:0/64";
        TestRedis.get().command("DEL", RedisKeys.loginThrottle("address", key));
        failOneLogin(prefix + "::1");
        failOneLogin(prefix + ":ffff:1:2:3");
        assertThat(failures(key)).as("two addresses of one /64 share a budget").isEqualTo("2");
    }
}
