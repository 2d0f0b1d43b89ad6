package io.latchkey.token;

import static io.latchkey.token.Flow.SPA;
import static io.latchkey.token.Flow.SPA_REDIRECT;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import io.latchkey.model.store.CodeStore;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * Redis goes away mid-traffic: 503 temporarily_unavailable with Retry-After, never a token; then it comes
 * back. Meanwhile the replica stays ready and /jwks answers: readiness is the pod's, not Redis'.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class RedisOutageTest {

    @Inject
    CodeStore codes;

    @TestHTTPResource(value = "health/ready", management = true) // under the management root, /q
    URL readiness;

    @Test
    void redisStoppedThenReplicaStaysReadyAndServesJwksWhileTokenAnswers503() {
        given().get(readiness).then().statusCode(200);
        String verifier = Flow.newVerifier();
        String code = Flow.mintSpa(codes, verifier);

        TestRedis.get().stop();
        try {
            // The replica stays in the Service: its keys are in memory, so /jwks still answers.
            given().get(readiness).then()
                    .statusCode(200)
                    .body("status", equalTo("UP"))
                    .body("checks.name", hasItems("Signing keys loaded", "Graceful Shutdown"))
                    .body("checks.name", not(hasItem(containsStringIgnoringCase("redis"))));
            given().get("/jwks").then()
                    .statusCode(200)
                    .body("keys.kid", not(empty()));
            assertUnavailable(Flow.exchange(SPA, code, SPA_REDIRECT, verifier));
        } finally {
            TestRedis.get().start();
        }
        given().get(readiness).then().statusCode(200);
    }

    @Test
    void redisStoppedThen503TemporarilyUnavailableWithRetryAfterThenRecoversWhenRedisReturns() throws Exception {
        Response before = Flow.spaTokens(codes);
        String verifier = Flow.newVerifier();
        String code = Flow.mintSpa(codes, verifier);

        TestRedis.get().stop();
        try {
            assertUnavailable(Flow.exchange(SPA, code, SPA_REDIRECT, verifier));
            assertUnavailable(Flow.refresh(SPA, before.path("refresh_token")));
            assertUnavailable(given().auth().oauth2(before.<String>path("access_token")).get("/userinfo"));
        } finally {
            TestRedis.get().start();
            // A killed private Redis loses its data; put the registry back as start-up would.
        }

        // The pool reconnects by itself; the first requests after the restart may still meet dead connections,
        // each of which the pool drops when it fails. So: retry at once, until a deadline.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
        int status = 0;
        while (status != 200 && System.nanoTime() < deadline) {
            String freshVerifier = Flow.newVerifier();
            status = Flow.exchange(SPA, Flow.mintSpa(codes, freshVerifier), SPA_REDIRECT, freshVerifier).statusCode();
        }
        assertThat(status).isEqualTo(200);
        // The code minted before the crash died with Redis' data: no token without a consumed code.
        Flow.assertError(Flow.exchange(SPA, code, SPA_REDIRECT, verifier), 400, "invalid_grant");
    }

    private static void assertUnavailable(Response response) {
        response.then()
                .statusCode(503)
                .header("Retry-After", "3")
                .header("Cache-Control", "no-store")
                .body("$", aMapWithSize(2))
                .body("error", equalTo("temporarily_unavailable"))
                .body("error_description", equalTo("The service is temporarily unavailable; retry shortly."));
    }
}
