package io.latchkey.admin.sessions;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.latchkey.admin.TestTokens;
import io.latchkey.model.domain.CodeGrant;
import io.latchkey.model.domain.SsoSession;
import io.latchkey.model.domain.User;
import io.latchkey.model.directory.UserDirectory;
import io.latchkey.model.keys.PublishedKeys;
import io.latchkey.model.pkce.Pkce;
import io.latchkey.model.store.AccessTokenRevocations;
import io.latchkey.model.store.CodeStore;
import io.latchkey.model.store.RedisKeys;
import io.latchkey.model.store.RefreshTokenStore;
import io.latchkey.model.store.SessionStore;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sessions API against real Redis and PostgreSQL: sessions and families are made by the shared-model stores as
 * authorize-service (login) and token-service (code exchange) make them, and their end is checked the way those
 * services would notice it (a silent renewal's touch, a refresh token's rotation, an access token's revocation check).
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class SessionsApiTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String CLIENT = "webapp";
    private static final String REDIRECT = "https://app.example.com/callback";

    @Inject
    PublishedKeys keys;
    @Inject
    SessionStore sessions;
    @Inject
    CodeStore codes;
    @Inject
    RefreshTokenStore refreshTokens;
    @Inject
    AccessTokenRevocations revocations;
    @Inject
    UserDirectory users;
    @Inject
    Pool pool;
    @Inject
    ReactiveRedisDataSource redis;

    /** A login's session and a code exchange's refresh family of one user, as the services leave them in Redis. */
    record Seeded(String userId, String sessionId, String family, String refreshToken) {
    }

    @BeforeEach
    void publishKey() {
        TestTokens.publish(keys);
    }

    private Seeded seed() {
        String userId = "u-" + OpaqueToken.randomId(6);
        pool.withTransaction(tx -> users.save(tx, List.of(new User(userId, "name-" + userId, null, true, Map.of()))))
                .await().atMost(WAIT);
        // authorize-service's Sessions.open: the id kept is the SHA-256 of the cookie's secret.
        long now = Instant.now().getEpochSecond();
        String sessionId = OpaqueToken.sha256(OpaqueToken.randomId(32));
        sessions.save(new SsoSession(sessionId, userId, now, List.of("pwd"), now)).await().atMost(WAIT);
        // authorize-service issues the code; token-service redeems it and starts the family.
        String verifier = OpaqueToken.randomId(48);
        CodeGrant grant = new CodeGrant(CLIENT, REDIRECT, Pkce.s256(verifier), List.of("openid", "offline_access"),
                "nonce", userId, now, sessionId, List.of("pwd"), now);
        OpaqueToken code = codes.issue(grant).await().atMost(WAIT);
        CodeStore.Redemption redeemed = codes.redeem(code.value(), CLIENT, REDIRECT, verifier,
                new CodeStore.RefreshPolicy(true, Duration.ofMinutes(30), Duration.ofHours(8))).await().atMost(WAIT);
        return new Seeded(userId, sessionId, code.family(), redeemed.refreshToken().orElseThrow().value());
    }

    private static JsonPath list(String userId) {
        return given().header("Authorization", TestTokens.bearer("ops", "sessions"))
                .when().get("/admin/users/{id}/sessions", userId)
                .then().statusCode(200).header("Cache-Control", "no-store").extract().jsonPath();
    }

    private boolean silentRenewalFindsSession(String sessionId) {
        return sessions.touch(sessionId).await().atMost(WAIT).isPresent();
    }

    private RefreshTokenStore.Rotation.Outcome refresh(String refreshToken) {
        return refreshTokens.rotate(refreshToken, CLIENT, Duration.ofMinutes(30)).await().atMost(WAIT).outcome();
    }

    private boolean accessTokensOfFamilyRevoked(String family) {
        return revocations.isRevoked("jti-" + OpaqueToken.randomId(6), Optional.of(family)).await().atMost(WAIT);
    }

    @Test
    void listsSessionsAndFamiliesByHandleWithTheirFacts() {
        Seeded s = seed();
        String body = given().header("Authorization", TestTokens.bearer("ops", "sessions"))
                .when().get("/admin/users/{id}/sessions", s.userId())
                .then().statusCode(200).extract().asString();
        JsonPath json = JsonPath.from(body);
        assertThat(json.getString("user")).isEqualTo(s.userId());
        assertThat(json.getList("sessions")).hasSize(1);
        assertThat(json.getString("sessions[0].handle")).isEqualTo(GrantHandles.of(s.sessionId()));
        assertThat(json.getList("sessions[0].amr")).containsExactly("pwd");
        assertThat(Instant.parse(json.getString("sessions[0].idle_expires_at"))).isAfter(Instant.now());
        assertThat(Instant.parse(json.getString("sessions[0].expires_at")))
                .isAfterOrEqualTo(Instant.parse(json.getString("sessions[0].idle_expires_at")));
        assertThat(json.getList("families")).hasSize(1);
        assertThat(json.getString("families[0].handle")).isEqualTo(GrantHandles.of(s.family()));
        assertThat(json.getString("families[0].client_id")).isEqualTo(CLIENT);
        assertThat(json.getList("families[0].scopes")).containsExactly("openid", "offline_access");
        assertThat(json.getString("families[0].session")).isEqualTo(GrantHandles.of(s.sessionId()));
        assertThat(Instant.parse(json.getString("families[0].expires_at"))).isAfter(Instant.now().plus(Duration.ofHours(7)));
        // No secret leaves: neither the session id (a Redis key reachable from the cookie) nor the family (half of
        // every code and refresh token of it), nor the refresh token.
        assertThat(body).doesNotContain(s.sessionId()).doesNotContain(s.family()).doesNotContain(s.refreshToken());
        // Looking does not renew: the idle lifetime is not slid by an administrator's read.
        Long ttlBefore = redis.key(String.class).pttl(RedisKeys.session(s.sessionId())).await().atMost(WAIT);
        list(s.userId());
        assertThat(redis.key(String.class).pttl(RedisKeys.session(s.sessionId())).await().atMost(WAIT)).isLessThanOrEqualTo(ttlBefore);
    }

    @Test
    void endingOneSessionFailsTheNextSilentRenewalAndLeavesTheRest() {
        Seeded s = seed();
        long now = Instant.now().getEpochSecond();
        String other = OpaqueToken.sha256(OpaqueToken.randomId(32));
        sessions.save(new SsoSession(other, s.userId(), now, List.of("pwd"), now)).await().atMost(WAIT);

        given().header("Authorization", TestTokens.bearer("ops", "sessions"))
                .when().delete("/admin/users/{id}/sessions/{handle}", s.userId(), GrantHandles.of(s.sessionId()))
                .then().statusCode(204);

        assertThat(silentRenewalFindsSession(s.sessionId())).isFalse();
        assertThat(redis.key(String.class).exists(RedisKeys.session(s.sessionId())).await().atMost(WAIT)).isFalse();
        assertThat(redis.sortedSet(String.class).zscore(RedisKeys.subjectSessions(s.userId()), s.sessionId())
                .await().atMost(WAIT)).isNull();
        assertThat(silentRenewalFindsSession(other)).isTrue();
        assertThat(refresh(s.refreshToken())).isEqualTo(RefreshTokenStore.Rotation.Outcome.ROTATED);
        JsonPath json = list(s.userId());
        assertThat(json.getList("sessions.handle")).containsExactly(GrantHandles.of(other));
        assertThat(auditRows("session.ended", s.userId())).anySatisfy(row -> {
            assertThat(row.getString("actor")).isEqualTo("client:ops");
            assertThat(details(row).getString("kind")).isEqualTo("sso-session");
        });
    }

    @Test
    void endingOneFamilyFailsItsRefreshTokenAndAccessTokensAtOnce() {
        Seeded s = seed();
        given().header("Authorization", TestTokens.bearer("ops", "sessions"))
                .when().delete("/admin/users/{id}/families/{handle}", s.userId(), GrantHandles.of(s.family()))
                .then().statusCode(204);

        assertThat(refresh(s.refreshToken())).isEqualTo(RefreshTokenStore.Rotation.Outcome.REVOKED);
        assertThat(accessTokensOfFamilyRevoked(s.family())).isTrue();
        assertThat(silentRenewalFindsSession(s.sessionId())).isTrue();
        assertThat(list(s.userId()).getList("families")).isEmpty();
        assertThat(auditRows("session.ended", s.userId())).anySatisfy(row ->
                assertThat(details(row).getString("kind")).isEqualTo("refresh-family"));
    }

    @Test
    void signOutEverywhereEndsEverySessionAndFamily() {
        Seeded s = seed();
        given().header("Authorization", TestTokens.bearer("ops", "sessions"))
                .when().delete("/admin/users/{id}/sessions", s.userId())
                .then().statusCode(200).body("ended", equalTo(2));

        assertThat(silentRenewalFindsSession(s.sessionId())).isFalse();
        assertThat(refresh(s.refreshToken())).isEqualTo(RefreshTokenStore.Rotation.Outcome.REVOKED);
        assertThat(redis.key(String.class).exists(RedisKeys.subjectSessions(s.userId()), RedisKeys.subjectFamilies(s.userId()))
                .await().atMost(WAIT)).isZero();
        JsonPath json = list(s.userId());
        assertThat(json.getList("sessions")).isEmpty();
        assertThat(json.getList("families")).isEmpty();
        assertThat(auditRows("sessions.ended", s.userId())).singleElement().satisfies(row -> {
            assertThat(row.getString("actor")).isEqualTo("client:ops");
            assertThat(details(row).getInteger("ended")).isEqualTo(2);
        });
    }

    @Test
    void tokenWithoutTheSessionsScopeChangesNothing() {
        Seeded s = seed();
        String notSessions = TestTokens.bearer("ops", "scim clients audit");
        given().header("Authorization", notSessions).when().get("/admin/users/{id}/sessions", s.userId())
                .then().statusCode(403).body("error", equalTo("insufficient_scope"))
                .header("WWW-Authenticate", containsString("scope=\"sessions\""));
        given().header("Authorization", notSessions).when().delete("/admin/users/{id}/sessions", s.userId())
                .then().statusCode(403);
        given().header("Authorization", notSessions)
                .when().delete("/admin/users/{id}/sessions/{handle}", s.userId(), GrantHandles.of(s.sessionId()))
                .then().statusCode(403);
        given().header("Authorization", notSessions)
                .when().delete("/admin/users/{id}/families/{handle}", s.userId(), GrantHandles.of(s.family()))
                .then().statusCode(403);
        given().when().delete("/admin/users/{id}/sessions", s.userId()).then().statusCode(401);

        assertThat(silentRenewalFindsSession(s.sessionId())).isTrue();
        assertThat(refresh(s.refreshToken())).isEqualTo(RefreshTokenStore.Rotation.Outcome.ROTATED);
    }

    @Test
    void handleOfAnotherUsersSessionOrFamilyIsNotFoundAndEndsNothing() {
        Seeded victim = seed();
        Seeded named = seed();
        given().header("Authorization", TestTokens.bearer("ops", "sessions"))
                .when().delete("/admin/users/{id}/sessions/{handle}", named.userId(), GrantHandles.of(victim.sessionId()))
                .then().statusCode(404).body("error_description", equalTo("The user has no session with this handle."));
        given().header("Authorization", TestTokens.bearer("ops", "sessions"))
                .when().delete("/admin/users/{id}/families/{handle}", named.userId(), GrantHandles.of(victim.family()))
                .then().statusCode(404);

        assertThat(silentRenewalFindsSession(victim.sessionId())).isTrue();
        assertThat(refresh(victim.refreshToken())).isEqualTo(RefreshTokenStore.Rotation.Outcome.ROTATED);
        assertThat(list(named.userId()).getList("sessions")).hasSize(1);
    }

    @Test
    void rawIdsAndMalformedHandlesAreRefused() {
        Seeded s = seed();
        // The raw session id is not a handle, even to the user it belongs to: only handles resolve.
        given().header("Authorization", TestTokens.bearer("ops", "sessions"))
                .when().delete("/admin/users/{id}/sessions/{handle}", s.userId(), s.sessionId())
                .then().statusCode(404);
        given().header("Authorization", TestTokens.bearer("ops", "sessions"))
                .when().delete("/admin/users/{id}/families/{handle}", s.userId(), s.family())
                .then().statusCode(400).body("error", equalTo("invalid_request"));
        for (String malformed : List.of("x", "*", GrantHandles.of(s.sessionId()) + "A", "%2E%2E")) {
            given().header("Authorization", TestTokens.bearer("ops", "sessions"))
                    .when().delete("/admin/users/{id}/sessions/" + malformed, s.userId())
                    .then().statusCode(400).body("error", equalTo("invalid_request"));
        }
        assertThat(silentRenewalFindsSession(s.sessionId())).isTrue();
    }

    @Test
    void unknownUserIsNotFound() {
        given().header("Authorization", TestTokens.bearer("ops", "sessions"))
                .when().get("/admin/users/{id}/sessions", "nobody-" + OpaqueToken.randomId(6))
                .then().statusCode(404).body("error_description", containsString("No user"));
        given().header("Authorization", TestTokens.bearer("ops", "sessions"))
                .when().delete("/admin/users/{id}/sessions", "nobody-" + OpaqueToken.randomId(6))
                .then().statusCode(404);
    }

    private static io.vertx.core.json.JsonObject details(Row row) {
        return new io.vertx.core.json.JsonObject(row.getString("details"));
    }

    /** The audit rows of this type about this user; emit() stores them without waiting, so allow a moment. */
    private List<Row> auditRows(String type, String subject) {
        long deadline = System.currentTimeMillis() + 5_000;
        List<Row> rows;
        do {
            rows = StreamSupport.stream(pool.preparedQuery("SELECT actor, details::text AS details FROM audit_events WHERE type = $1 AND subject = $2")
                    .execute(Tuple.of(type, subject)).await().atMost(WAIT).spliterator(), false).toList();
            if (!rows.isEmpty()) {
                return rows;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return rows;
            }
        } while (System.currentTimeMillis() < deadline);
        return rows;
    }
}
