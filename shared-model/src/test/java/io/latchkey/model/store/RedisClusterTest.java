package io.latchkey.model.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.domain.SsoSession;
import io.latchkey.model.store.CodeStore.Redemption.Outcome;
import io.latchkey.model.store.RefreshTokenStore.Rotation;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.testing.TestRedisCluster;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scripts against a real three-node Redis Cluster: every script's keys share one slot (hash tags),
 * so none fails with CROSSSLOT, whichever node owns the family.
 */
class RedisClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static TestRedisCluster cluster;
    private static Vertx vertx;
    private static CodeStore codes;
    private static RefreshTokenStore refreshTokens;
    private static SessionStore sessions;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new TestRedisCluster();
        vertx = Vertx.vertx();
        RedisOptions options = new RedisOptions().setType(RedisClientType.CLUSTER).setMaxPoolWaiting(1000);
        cluster.urls().forEach(options::addConnectionString);
        Redis redis = Redis.createClient(vertx, options);
        var dataSource = new ReactiveRedisDataSourceImpl(vertx, redis, RedisAPI.api(redis));
        LatchkeyConfig config = new SmallRyeConfigBuilder()
                .withMapping(LatchkeyConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(Map.of("latchkey.issuer", "http://localhost:8080"), "test", 100))
                .build().getConfigMapping(LatchkeyConfig.class);
        RedisCalls calls = new RedisCalls(config);
        SubjectGrants subjects = new SubjectGrants(dataSource, calls, config);
        codes = new CodeStore(dataSource, calls, subjects, config);
        refreshTokens = new RefreshTokenStore(dataSource, calls);
        sessions = new SessionStore(dataSource, new JsonRecords(dataSource, calls), calls, subjects, config);
    }

    @AfterAll
    static void stopCluster() {
        if (vertx != null) {
            vertx.closeAndAwait();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void redemptionRaceRotationAndReuseRunOnAClusterAcrossManyFamilies() {
        // Twenty families land on all three nodes.
        for (int i = 0; i < 20; i++) {
            Grants g = new Grants();
            OpaqueToken code = codes.issue(g.grant).await().atMost(WAIT);
            List<CodeStore.Redemption> race = Uni.join().all(List.of(
                    codes.redeem(code.value(), Grants.CLIENT, Grants.REDIRECT, g.verifier, Grants.REFRESH),
                    codes.redeem(code.value(), Grants.CLIENT, Grants.REDIRECT, g.verifier, Grants.REFRESH),
                    codes.redeem(code.value(), Grants.CLIENT, Grants.REDIRECT, g.verifier, Grants.REFRESH)))
                    .andCollectFailures().await().atMost(WAIT);
            assertThat(race).filteredOn(r -> r.outcome() == Outcome.REDEEMED).hasSize(1);
            String raced = race.stream().filter(r -> r.outcome() == Outcome.REDEEMED).findFirst().orElseThrow()
                    .refreshToken().orElseThrow().value();
            // The losers were replays, so the family the winner started is already revoked (RFC 6749 4.1.2).
            assertThat(refreshTokens.rotate(raced, Grants.CLIENT, Duration.ofMinutes(5)).await().atMost(WAIT).outcome())
                    .isEqualTo(Rotation.Outcome.REVOKED);

            Grants h = new Grants();
            OpaqueToken other = codes.issue(h.grant).await().atMost(WAIT);
            String first = codes.redeem(other.value(), Grants.CLIENT, Grants.REDIRECT, h.verifier, Grants.REFRESH)
                    .await().atMost(WAIT).refreshToken().orElseThrow().value();
            Rotation rotated = refreshTokens.rotate(first, Grants.CLIENT, Duration.ofMinutes(5)).await().atMost(WAIT);
            assertThat(rotated.outcome()).isEqualTo(Rotation.Outcome.ROTATED);
            assertThat(refreshTokens.find(rotated.newToken().value()).await().atMost(WAIT)).isPresent();
            assertThat(refreshTokens.rotate(first, Grants.CLIENT, Duration.ofMinutes(5)).await().atMost(WAIT).outcome())
                    .isEqualTo(Rotation.Outcome.REUSED);
            assertThat(refreshTokens.revokeFamily(other.family()).await().atMost(WAIT)).isFalse();
        }
    }

    @Test
    void reuseGraceRunsOnAClusterAcrossManyFamilies() {
        // The grace reads the successor's key, which the script finds in the grace record: the family's slot too.
        Duration grace = Duration.ofSeconds(5);
        for (int i = 0; i < 10; i++) {
            Grants g = new Grants();
            OpaqueToken code = codes.issue(g.grant).await().atMost(WAIT);
            String first = codes.redeem(code.value(), Grants.CLIENT, Grants.REDIRECT, g.verifier, Grants.REFRESH)
                    .await().atMost(WAIT).refreshToken().orElseThrow().value();
            Rotation rotated = refreshTokens.rotate(first, Grants.CLIENT, Duration.ofMinutes(5), null, grace).await().atMost(WAIT);
            Rotation repeated = refreshTokens.rotate(first, Grants.CLIENT, Duration.ofMinutes(5), null, grace).await().atMost(WAIT);
            assertThat(repeated.outcome()).isEqualTo(Rotation.Outcome.REPEATED_IN_GRACE);
            assertThat(repeated.newToken()).isEqualTo(rotated.newToken());
            refreshTokens.rotate(rotated.newToken().value(), Grants.CLIENT, Duration.ofMinutes(5), null, grace).await().atMost(WAIT);
            assertThat(refreshTokens.rotate(first, Grants.CLIENT, Duration.ofMinutes(5), null, grace).await().atMost(WAIT).outcome())
                    .isEqualTo(Rotation.Outcome.REUSED);
        }
    }

    @Test
    void sessionScriptRunsOnACluster() {
        long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < 10; i++) {
            SsoSession session = new SsoSession(OpaqueToken.randomId(16), "alice", now, List.of("pwd"), now);
            sessions.save(session).await().atMost(WAIT);
            assertThat(sessions.touch(session.id()).await().atMost(WAIT)).contains(session);
        }
    }
}
