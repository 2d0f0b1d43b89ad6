package io.latchkey.admin.consents;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.latchkey.admin.TestTokens;
import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.domain.ClientType;
import io.latchkey.model.domain.CodeGrant;
import io.latchkey.model.domain.Consent;
import io.latchkey.model.domain.User;
import io.latchkey.model.directory.ClientDirectory;
import io.latchkey.model.directory.ConsentDirectory;
import io.latchkey.model.directory.UserDirectory;
import io.latchkey.model.keys.PublishedKeys;
import io.latchkey.model.pkce.Pkce;
import io.latchkey.model.store.CodeStore;
import io.latchkey.model.store.RefreshTokenStore;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.testing.AuditRows;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Withdrawing a remembered consent against real PostgreSQL and Redis: the consent is gone for the authorize leg's
 * cache, the client's refresh families of that user end (another client's stay), and the audit trail names the actor.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ConsentsApiTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String REDIRECT = "https://app.example.com/callback";

    @Inject
    PublishedKeys keys;
    @Inject
    UserDirectory users;
    @Inject
    ClientDirectory clients;
    @Inject
    ConsentDirectory consents;
    @Inject
    CodeStore codes;
    @Inject
    RefreshTokenStore refreshTokens;
    @Inject
    Pool pool;

    @BeforeEach
    void publishKey() {
        TestTokens.publish(keys);
    }

    private String user() {
        String userId = "u-" + OpaqueToken.randomId(6);
        pool.withTransaction(tx -> users.save(tx, List.of(new User(userId, "name-" + userId, null, true, Map.of()))))
                .await().atMost(WAIT);
        return userId;
    }

    private String client() {
        String clientId = "c-" + OpaqueToken.randomId(6);
        ClientRegistration client = new ClientRegistration(clientId, null, ClientType.PUBLIC, null, List.of(REDIRECT), null,
                null, Set.of("openid", "offline_access"), null, false, null, null, null, null, false);
        pool.withTransaction(tx -> clients.save(tx, client)).await().atMost(WAIT);
        return clientId;
    }

    /** A refresh token of the user at the client, as a code exchange leaves it. */
    private String refreshToken(String userId, String clientId) {
        long now = Instant.now().getEpochSecond();
        String verifier = OpaqueToken.randomId(48);
        CodeGrant grant = new CodeGrant(clientId, REDIRECT, Pkce.s256(verifier), List.of("openid", "offline_access"),
                "nonce", userId, now, null, List.of("pwd"), now);
        OpaqueToken code = codes.issue(grant).await().atMost(WAIT);
        return codes.redeem(code.value(), clientId, REDIRECT, verifier,
                new CodeStore.RefreshPolicy(true, Duration.ofMinutes(30), Duration.ofHours(8))).await().atMost(WAIT)
                .refreshToken().orElseThrow().value();
    }

    @Test
    void withdrawingAConsentForgetsItAndEndsThatClientsRefreshTokensOnly() {
        String userId = user();
        String app = client();
        String other = client();
        consents.save(new Consent(userId, app, Set.of("openid", "offline_access"), Instant.now().getEpochSecond())).await().atMost(WAIT);
        consents.save(new Consent(userId, other, Set.of("openid"), Instant.now().getEpochSecond())).await().atMost(WAIT);
        String appToken = refreshToken(userId, app);
        String otherToken = refreshToken(userId, other);

        given().header("Authorization", TestTokens.bearer("ops", "sessions"))
                .when().get("/admin/users/{id}/consents", userId)
                .then().statusCode(200).body("consents.client_id", org.hamcrest.Matchers.containsInAnyOrder(app, other));

        long mark = AuditRows.mark();
        given().header("Authorization", TestTokens.bearer("ops", "sessions"))
                .when().delete("/admin/users/{id}/consents/{client}", userId, app)
                .then().statusCode(204);

        assertThat(consents.find(userId, app).await().atMost(WAIT)).as("the authorize leg asks again").isEmpty();
        assertThat(consents.find(userId, other).await().atMost(WAIT)).isPresent();
        assertThat(refreshTokens.rotate(appToken, app, Duration.ofMinutes(30)).await().atMost(WAIT).outcome())
                .isNotEqualTo(RefreshTokenStore.Rotation.Outcome.ROTATED);
        assertThat(refreshTokens.rotate(otherToken, other, Duration.ofMinutes(30)).await().atMost(WAIT).outcome())
                .isEqualTo(RefreshTokenStore.Rotation.Outcome.ROTATED);
        assertThat(AuditRows.after(mark)).filteredOn(row -> row.type().equals("consent.withdrawn"))
                .singleElement().satisfies(row -> {
                    assertThat(row.actor()).isEqualTo("client:ops");
                    assertThat(row.subject()).isEqualTo(userId);
                    assertThat(row.clientId()).isEqualTo(app);
                });
    }

    @Test
    void withdrawingWhatWasNeverGivenIsNotFoundAndAnotherScopeOpensNothing() {
        String userId = user();
        String app = client();
        given().header("Authorization", TestTokens.bearer("ops", "sessions"))
                .when().delete("/admin/users/{id}/consents/{client}", userId, app)
                .then().statusCode(404);
        given().header("Authorization", TestTokens.bearer("ops", "scim audit clients"))
                .when().delete("/admin/users/{id}/consents/{client}", userId, app)
                .then().statusCode(403).body("error", equalTo("insufficient_scope"));
        given().header("Authorization", TestTokens.bearer("ops", "sessions"))
                .when().get("/admin/users/{id}/consents", "no-such-user")
                .then().statusCode(404);
    }
}
