package io.latchkey.k8s;

import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.domain.CodeGrant;
import io.latchkey.model.pkce.Pkce;
import io.latchkey.model.store.CodeStore;
import io.latchkey.model.store.RedisCalls;
import io.latchkey.model.store.SubjectGrants;
import io.latchkey.model.token.OpaqueToken;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Plays authorize-service's part: stores code grants with shared-model's CodeStore, the way
 * authorize-service does after consent, so that a test can redeem them at token-service.
 */
final class CodeIssuer implements AutoCloseable {

    /** A code and the PKCE verifier that redeems it. */
    record IssuedCode(String code, String verifier) {
    }

    private final Vertx vertx = Vertx.vertx();
    private final CodeStore codes;

    CodeIssuer(RedisOptions options) {
        Redis redis = Redis.createClient(vertx, options.setMaxPoolWaiting(100));
        var dataSource = new ReactiveRedisDataSourceImpl(vertx, redis, RedisAPI.api(redis));
        LatchkeyConfig config = new SmallRyeConfigBuilder()
                .withMapping(LatchkeyConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(Map.of("latchkey.issuer", "http://localhost:8080",
                        "latchkey.redis.timeout", "1s"), "test", 100))
                .build().getConfigMapping(LatchkeyConfig.class);
        RedisCalls calls = new RedisCalls(config);
        codes = new CodeStore(dataSource, calls, new SubjectGrants(dataSource, calls, config), config);
    }

    IssuedCode issue() {
        String verifier = OpaqueToken.randomId(48);
        long now = System.currentTimeMillis() / 1000;
        CodeGrant grant = new CodeGrant(PackagedService.CLIENT, PackagedService.REDIRECT, Pkce.s256(verifier),
                List.of("openid", "offline_access"), OpaqueToken.randomId(12), "alice", now, "sid-" + now, List.of("pwd"), now);
        return new IssuedCode(codes.issue(grant).await().atMost(Duration.ofSeconds(5)).value(), verifier);
    }

    @Override
    public void close() {
        vertx.closeAndAwait();
    }
}
