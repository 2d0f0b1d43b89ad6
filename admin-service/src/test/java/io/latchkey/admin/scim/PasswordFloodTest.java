package io.latchkey.admin.scim;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.admin.TestTokens;
import io.latchkey.model.keys.PublishedKeys;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A flood of password writes meets a full hashing pool: the excess is 503 with Retry-After in SCIM's format (which
 * SCIM clients retry), nothing else fails, and no answer carries the password.
 */
@QuarkusTest
@TestProfile(PasswordFloodTest.OneHasher.class)
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class PasswordFloodTest {

    /** One hashing thread and one waiting place. */
    public static class OneHasher implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("latchkey.password-workers.threads", "1", "latchkey.password-workers.queue", "1");
        }
    }

    @Inject
    PublishedKeys keys;

    @Test
    void excessIsRetryableServiceUnavailable() throws Exception {
        TestTokens.publish(keys);
        String bearer = TestTokens.bearer("provisioner", "scim");
        String password = "flood-" + UUID.randomUUID();
        int n = 16;
        ExecutorService threads = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                String body = "{\"schemas\": [\"urn:ietf:params:scim:schemas:core:2.0:User\"], \"userName\": \"flood-"
                        + UUID.randomUUID() + "\", \"password\": \"" + password + "\"}";
                answers.add(threads.submit(() -> {
                    start.await();
                    return given().header("Authorization", bearer).contentType("application/scim+json").body(body)
                            .when().post("/scim/v2/Users");
                }));
            }
            start.countDown();
            int created = 0;
            int busy = 0;
            for (Future<Response> answer : answers) {
                Response response = answer.get();
                assertThat(response.asString()).doesNotContain(password);
                if (response.statusCode() == 201) {
                    created++;
                } else {
                    assertThat(response.statusCode()).isEqualTo(503);
                    assertThat(response.header("Retry-After")).isEqualTo("5");
                    assertThat(response.contentType()).startsWith("application/scim+json");
                    assertThat(response.<String>path("status")).isEqualTo("503");
                    busy++;
                }
            }
            assertThat(created).isGreaterThanOrEqualTo(2);
            assertThat(busy).isPositive();
        } finally {
            threads.shutdownNow();
        }
    }
}
