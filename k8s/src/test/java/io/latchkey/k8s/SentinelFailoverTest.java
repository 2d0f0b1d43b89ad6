package io.latchkey.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * token-service as the production overlay configures it (QUARKUS_REDIS_CLIENT_TYPE=sentinel) against a
 * real Sentinel set whose master is killed in the middle of a run of code exchanges.
 */
class SentinelFailoverTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RUN = Duration.ofSeconds(90);

    /** One code's exchanges: retried while token-service answers 503, as a client honouring Retry-After would. */
    record Exchange(CodeIssuer.IssuedCode code, List<Integer> statuses, List<String> errors) {
        long successes() {
            return statuses.stream().filter(s -> s == 200).count();
        }
    }

    @Test
    void codeExchangesAnswer503DuringFailoverRecoverByThemselvesAndNeverRedeemACodeTwice() throws Exception {
        try (TestRedisSentinel sentinel = new TestRedisSentinel();
                PackagedService tokenService = PackagedService.start("sentinel", Map.of(
                        "QUARKUS_REDIS_CLIENT_TYPE", "sentinel",
                        "QUARKUS_REDIS_HOSTS", String.join(",", sentinel.sentinelUrls()),
                        "QUARKUS_REDIS_MASTER_NAME", TestRedisSentinel.MASTER_NAME,
                        "QUARKUS_REDIS_ROLE", "master"));
                CodeIssuer issuer = new CodeIssuer(sentinelOptions(sentinel))) {
            List<Exchange> exchanges = new ArrayList<>();
            List<Integer> readiness = new ArrayList<>();
            Map<String, Integer> retryAfter = new HashMap<>();
            long deadline = System.nanoTime() + RUN.toNanos();

            // Twenty exchanges on the first master.
            for (int i = 0; i < 20; i++) {
                exchanges.add(exchange(tokenService, issuer.issue(), deadline, readiness, retryAfter));
            }
            // Codes that the clients hold when the master dies: stored and replicated, not yet redeemed.
            List<CodeIssuer.IssuedCode> held = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                held.add(issuer.issue());
            }
            sentinel.awaitReplicaCaughtUp();
            sentinel.killMaster();
            int successesAfterKill = 0;
            for (CodeIssuer.IssuedCode code : held) {
                Exchange exchange = exchange(tokenService, code, deadline, readiness, retryAfter);
                exchanges.add(exchange);
                successesAfterKill += (int) exchange.successes();
            }
            // And twenty new codes once the replica has taken over.
            for (int i = 0; i < 20; i++) {
                Exchange exchange = exchange(tokenService, issueRetrying(issuer, deadline), deadline, readiness, retryAfter);
                exchanges.add(exchange);
                successesAfterKill += (int) exchange.successes();
            }

            String log = tokenService.log();
            assertThat(exchanges.subList(0, 20)).as("before the kill").allSatisfy(e -> assertThat(e.statuses()).containsExactly(200));
            List<Integer> all = exchanges.stream().flatMap(e -> e.statuses().stream()).toList();
            assertThat(all).as("only success, a used-up code, or 503 while Redis is away; never a 500")
                    .allMatch(s -> s == 200 || s == 400 || s == 503);
            assertThat(all).as("token-service answered 503 during the failover").contains(503);
            assertThat(exchanges.stream().flatMap(e -> e.errors().stream()).filter(e -> e != null && !e.equals("invalid_grant")))
                    .containsOnly("temporarily_unavailable");
            long unavailable = all.stream().filter(st -> st == 503).count();
            assertThat(retryAfter.values().stream().mapToInt(Integer::intValue).sum()).as("every 503 carries Retry-After")
                    .isEqualTo(unavailable);
            Prometheus metrics = tokenService.metrics();
            assertThat(metrics.value("latchkey_oauth_errors_total", Map.of("error", "temporarily_unavailable")))
                    .as("each 503 is counted").isEqualTo(unavailable);
            assertThat(metrics.value("latchkey_redis_calls_seconds_count", Map.of("outcome", "unavailable"))).isPositive();
            System.out.printf("Sentinel failover: %d exchanges, %d answers 503 (Retry-After %s), readiness %s%n",
                    exchanges.size(), unavailable, retryAfter.keySet(), readiness);
            // The replica stays in the Service while Redis fails over: readiness is the pod's, not Redis'.
            assertThat(readiness).as("readiness during the failover").isNotEmpty().containsOnly(200);
            assertThat(exchanges.subList(exchanges.size() - 20, exchanges.size())).as("recovered by itself:\n" + log)
                    .allSatisfy(e -> assertThat(e.statuses()).containsExactly(200));
            // The held codes survived the failover (they were replicated): nearly all redeem once it is over.
            assertThat(successesAfterKill).isGreaterThanOrEqualTo(45);
            assertThat(sentinel.currentMasterPort()).isNotEqualTo(sentinel.masterPort());
            assertThat(tokenService.alive()).isTrue();
            assertThat(tokenService.readiness()).isEqualTo(200);
            assertThat(log).doesNotContain("CROSSSLOT");

            // No code ever yields two token responses, now or on replay against the new master.
            assertThat(exchanges).allSatisfy(e -> assertThat(e.successes()).isLessThanOrEqualTo(1));
            for (Exchange e : exchanges) {
                HttpResponse<String> replay = tokenService.redeem(e.code().code(), e.code().verifier());
                assertThat(replay.statusCode()).as("replay of " + e.statuses()).isEqualTo(400);
                assertThat(error(replay)).isEqualTo("invalid_grant");
            }
        }
    }

    /** Redeems a code, retrying while token-service answers 503, as a client honouring Retry-After would. */
    private static Exchange exchange(PackagedService tokenService, CodeIssuer.IssuedCode code, long deadline,
            List<Integer> readiness, Map<String, Integer> retryAfter) throws InterruptedException {
        Exchange exchange = new Exchange(code, new ArrayList<>(), new ArrayList<>());
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = tokenService.redeem(code.code(), code.verifier());
            exchange.statuses().add(response.statusCode());
            exchange.errors().add(error(response));
            if (response.statusCode() != 503) {
                return exchange;
            }
            response.headers().firstValue("Retry-After").ifPresent(v -> retryAfter.merge(v, 1, Integer::sum));
            readiness.add(tokenService.readiness());
            Thread.sleep(100);
        }
        throw new AssertionError("token-service still answered 503 at the deadline: " + exchange.statuses());
    }

    static RedisOptions sentinelOptions(TestRedisSentinel sentinel) {
        RedisOptions options = new RedisOptions().setType(RedisClientType.SENTINEL)
                .setMasterName(TestRedisSentinel.MASTER_NAME).setRole(RedisRole.MASTER);
        sentinel.sentinelUrls().forEach(options::addConnectionString);
        return options;
    }

    /** The test's own writes also wait out the failover. */
    private static CodeIssuer.IssuedCode issueRetrying(CodeIssuer issuer, long deadline) throws InterruptedException {
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                return issuer.issue();
            } catch (RuntimeException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("could not store a code before the deadline", last);
    }

    static String error(HttpResponse<String> response) {
        if (response.statusCode() == 200) {
            return null;
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            return body.path("error").asText();
        } catch (Exception e) {
            return "unparsable body: " + response.body();
        }
    }
}
