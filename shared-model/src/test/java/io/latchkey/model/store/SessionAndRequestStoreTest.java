package io.latchkey.model.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.model.domain.AuthorizationRequest;
import io.latchkey.model.domain.SignInProgress;
import io.latchkey.model.domain.SsoSession;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class SessionAndRequestStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    SessionStore sessions;

    @Inject
    AuthorizationRequestStore requests;

    @Test
    void sessionTouchSlidesTheIdleLifetime() {
        SsoSession session = new SsoSession(OpaqueToken.randomId(16), "alice", System.currentTimeMillis() / 1000, List.of("pwd"),
                System.currentTimeMillis() / 1000, true);
        sessions.save(session).await().atMost(WAIT);
        TestRedis.get().command("PEXPIRE", RedisKeys.session(session.id()), "5000");

        assertThat(sessions.touch(session.id()).await().atMost(WAIT)).contains(session);
        long ttl = Long.parseLong(TestRedis.get().command("PTTL", RedisKeys.session(session.id())));
        assertThat(ttl).isGreaterThan(Duration.ofHours(7).toMillis()); // session-idle defaults to 8h
    }

    @Test
    void sessionPastItsAbsoluteLifetimeIsGoneOnTouch() {
        long longAgo = System.currentTimeMillis() / 1000 - Duration.ofHours(25).toSeconds(); // session-max defaults to 24h
        SsoSession session = new SsoSession(OpaqueToken.randomId(16), "alice", longAgo, List.of("pwd"), longAgo);
        sessions.save(session).await().atMost(WAIT);

        assertThat(sessions.touch(session.id()).await().atMost(WAIT)).isEmpty();
        assertThat(TestRedis.get().command("EXISTS", RedisKeys.session(session.id()))).isEqualTo("0");
    }

    @Test
    void sessionDeleteEndsIt() {
        SsoSession session = new SsoSession(OpaqueToken.randomId(16), "alice", 1, List.of(), System.currentTimeMillis() / 1000);
        sessions.save(session).await().atMost(WAIT);
        assertThat(sessions.delete(session.id()).await().atMost(WAIT)).isTrue();
        assertThat(sessions.touch(session.id()).await().atMost(WAIT)).isEmpty();
    }

    @Test
    void authorizationRequestLivesForTheRequestLifetimeAndIsDeletedOnce() {
        AuthorizationRequest request = new AuthorizationRequest(OpaqueToken.randomId(16), "spa", "https://app/cb", "query",
                List.of("openid"), "st", "n", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", List.of(), null, null, List.of(),
                "binding", "csrf", 1L, null, List.of("urn:latchkey:acr:multi-factor"),
                new SignInProgress("alice", List.of("pwd"), 1L, true), "jkt-1");
        requests.save(request).await().atMost(WAIT);
        assertThat(requests.find(request.id()).await().atMost(WAIT)).contains(request);
        long ttl = Long.parseLong(TestRedis.get().command("PTTL", RedisKeys.authorizationRequest(request.id())));
        assertThat(ttl).isBetween(Duration.ofMinutes(9).toMillis(), Duration.ofMinutes(10).toMillis());
        assertThat(requests.delete(request.id()).await().atMost(WAIT)).isTrue();
        assertThat(requests.delete(request.id()).await().atMost(WAIT)).isFalse();
    }
}
