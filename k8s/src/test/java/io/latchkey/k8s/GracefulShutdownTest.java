package io.latchkey.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testing.TestRedis;
import io.vertx.redis.client.RedisOptions;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Deployments' shutdown: after preStop, SIGTERM; with QUARKUS_SHUTDOWN_TIMEOUT (as the ConfigMap sets
 * it) token-service answers the requests it is serving before it exits, instead of dropping them.
 */
class GracefulShutdownTest {

    @Test
    void aRequestInFlightAtSigtermIsStillAnswered() throws Exception {
        // The value the production overlay gives the Deployment (without it, the request is dropped: GOAWAY).
        Rendered production = Kustomize.overlay("production");
        String shutdownTimeout = production.environment(production.container("token-service")).get("QUARKUS_SHUTDOWN_TIMEOUT");
        TestRedis redis = TestRedis.get();
        try (PackagedService tokenService = PackagedService.start("shutdown", Map.of(
                        "QUARKUS_REDIS_HOSTS", redis.url(),
                        "QUARKUS_SHUTDOWN_TIMEOUT", shutdownTimeout,
                        "LATCHKEY_REDIS_TIMEOUT", "3s"));
                CodeIssuer issuer = new CodeIssuer(new RedisOptions().addConnectionString(redis.url()))) {
            CodeIssuer.IssuedCode warmUp = issuer.issue();
            assertThat(tokenService.redeem(warmUp.code(), warmUp.verifier()).statusCode()).isEqualTo(200);

            // A request that takes a while: Redis is frozen, so it waits out latchkey.redis.timeout (3 s).
            CodeIssuer.IssuedCode code = issuer.issue();
            redis.pause();
            try {
                CompletableFuture<HttpResponse<String>> inFlight = tokenService.redeemAsync(code.code(), code.verifier());
                Thread.sleep(1000);
                tokenService.terminate();
                HttpResponse<String> answer = inFlight.get(15, TimeUnit.SECONDS);
                assertThat(answer.statusCode()).as("answered, not dropped: " + answer.body()).isEqualTo(503);
                assertThat(SentinelFailoverTest.error(answer)).isEqualTo("temporarily_unavailable");
            } finally {
                redis.resume();
            }
            long grace = production.deployment("token-service").getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
            assertThat(tokenService.awaitExit(Duration.ofSeconds(grace))).as("exited within the grace period").isTrue();
        }
    }
}
