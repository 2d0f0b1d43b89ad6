package io.latchkey.token;

import static io.latchkey.token.Flow.SPA;
import static io.latchkey.token.Flow.assertError;
import static io.latchkey.token.Flow.refresh;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.model.store.CodeStore;
import io.latchkey.model.store.RedisKeys;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The refresh reuse grace (issue 15, "many tabs"): {@code spa-tabs} has a grace of 2 s, {@code spa} none. Within the
 * grace the same rotated token gets the same successor; outside it, after the successor moved on, or for another
 * client, the rules of rotation (RFC 9700 §4.14.2) hold as without a grace.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class RefreshReuseGraceTest {

    static final String TABS = "spa-tabs";
    private static final String TABS_REDIRECT = "http://localhost:5177/callback";
    private static final String REUSED = "The refresh token has already been used; the grant is revoked.";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    CodeStore codes;

    @TestHTTPResource("/token")
    URL tokenEndpoint;

    @Test
    void refreshWhenThreeTabsRaceWithinTheGraceThenAllGetTheSameRefreshTokenAndTheFamilyLives() throws Exception {
        String first = tabsTokens().path("refresh_token");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint.toURI())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&client_id=" + TABS
                        + "&refresh_token=" + URLEncoder.encode(first, StandardCharsets.UTF_8))).build();
        List<CompletableFuture<HttpResponse<String>>> tabs = IntStream.range(0, 3)
                .mapToObj(i -> client.sendAsync(request, HttpResponse.BodyHandlers.ofString())).toList();
        List<HttpResponse<String>> answers = tabs.stream().map(CompletableFuture::join).toList();

        assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).as(a.body()).isEqualTo(200));
        List<JsonNode> bodies = answers.stream().map(RefreshReuseGraceTest::json).toList();
        assertThat(bodies.stream().map(b -> b.get("refresh_token").asText()).distinct()).hasSize(1);
        String successor = bodies.get(0).get("refresh_token").asText();
        assertThat(successor).isNotEqualTo(first);
        // Each tab has its own access and ID token, and each works.
        assertThat(bodies.stream().map(b -> b.get("access_token").asText()).distinct()).hasSize(3);
        assertThat(bodies).allSatisfy(b -> assertThat(b.get("id_token")).isNotNull());
        for (JsonNode body : bodies) {
            given().auth().oauth2(body.get("access_token").asText()).get("/userinfo").then().statusCode(200);
        }
        assertThat(familyRevoked(first)).isNotEqualTo("1");
        refresh(TABS, successor).then().statusCode(200);
    }

    @Test
    void refreshWhenRepeatedAfterTheGraceThenInvalidGrantAndTheFamilyIsRevoked() {
        String first = tabsTokens().path("refresh_token");
        Response legitimate = refresh(TABS, first);
        legitimate.then().statusCode(200);
        awaitGraceOver(first);

        Response late = refresh(TABS, first);
        assertError(late, 400, "invalid_grant");
        late.then().body("error_description", equalTo(REUSED));
        assertThat(familyRevoked(first)).isEqualTo("1");
        assertError(refresh(TABS, legitimate.path("refresh_token")), 400, "invalid_grant");
        given().auth().oauth2(legitimate.path("access_token")).get("/userinfo").then().statusCode(401);
    }

    @Test
    void refreshWhenClientHasNoGraceThenImmediateRepeatRevokesAsBefore() {
        String first = Flow.spaTokens(codes).path("refresh_token");
        Response legitimate = refresh(SPA, first);
        legitimate.then().statusCode(200);

        Response repeat = refresh(SPA, first);
        assertError(repeat, 400, "invalid_grant");
        repeat.then().body("error_description", equalTo(REUSED));
        assertThat(familyRevoked(first)).isEqualTo("1");
        assertError(refresh(SPA, legitimate.path("refresh_token")), 400, "invalid_grant");
        OpaqueToken token = OpaqueToken.parse(first).orElseThrow();
        assertThat(TestRedis.get().command("EXISTS", RedisKeys.refreshTokenGrace(token.family(), token.hash()))).isEqualTo("0");
    }

    @Test
    void refreshWhenSuccessorAlreadyRotatedThenRepeatWithinTheGraceRevokes() {
        String first = tabsTokens().path("refresh_token");
        String second = refresh(TABS, first).path("refresh_token");
        Response third = refresh(TABS, second);
        third.then().statusCode(200);

        Response repeat = refresh(TABS, first);
        assertError(repeat, 400, "invalid_grant");
        repeat.then().body("error_description", equalTo(REUSED));
        assertThat(familyRevoked(first)).isEqualTo("1");
        assertError(refresh(TABS, third.path("refresh_token")), 400, "invalid_grant");
        given().auth().oauth2(third.path("access_token")).get("/userinfo").then().statusCode(401);
    }

    @Test
    void refreshWhenAnotherClientRepeatsWithinTheGraceThenRefusedAndNothingChanges() {
        String first = tabsTokens().path("refresh_token");
        String successor = refresh(TABS, first).path("refresh_token");

        Response foreign = refresh(SPA, first);
        assertError(foreign, 400, "invalid_grant");
        foreign.then().body("error_description", equalTo("The refresh token was issued to another client."));
        assertThat(foreign.body().asString()).doesNotContain(successor);
        assertThat(familyRevoked(first)).isNotEqualTo("1");
        refresh(TABS, first).then().statusCode(200).body("refresh_token", equalTo(successor));
    }

    @Test
    void refreshWhenRepeatedWithinTheGraceForAWiderScopeThenInvalidScopeAndTheGraceStillHolds() {
        String first = tabsTokens().path("refresh_token");
        String successor = refresh(TABS, first).path("refresh_token");

        assertError(given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token").formParam("client_id", TABS)
                .formParam("refresh_token", first).formParam("scope", "openid email")
                .post("/token"), 400, "invalid_scope");
        assertThat(familyRevoked(first)).isNotEqualTo("1");
        given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token").formParam("client_id", TABS)
                .formParam("refresh_token", first).formParam("scope", "openid")
                .post("/token").then().statusCode(200).body("refresh_token", equalTo(successor)).body("scope", equalTo("openid"));
    }

    @Test
    void refreshWithGraceThenRedisHoldsTheSuccessorOnlySealed() {
        String first = tabsTokens().path("refresh_token");
        String successor = refresh(TABS, first).path("refresh_token");
        OpaqueToken token = OpaqueToken.parse(first).orElseThrow();
        String secret = successor.substring(successor.indexOf('.') + 1);

        assertThat(TestRedis.get().command("GET", RedisKeys.refreshToken(token.family(), token.hash()))).isEqualTo("rotated");
        String sealed = TestRedis.get().command("GET", RedisKeys.refreshTokenGrace(token.family(), token.hash()));
        assertThat(sealed).isNotBlank().doesNotContain(successor).doesNotContain(secret).doesNotContain(first);
        // Nor does anything else of the family hold it in clear.
        for (String key : TestRedis.get().command("KEYS", RedisKeys.family(token.family()) + "*").split("\\s+")) {
            String value = "hash".equals(TestRedis.get().command("TYPE", key))
                    ? TestRedis.get().command("HGETALL", key) : TestRedis.get().command("GET", key);
            assertThat(value).as(key).doesNotContain(secret);
        }
    }

    private Response tabsTokens() {
        String verifier = Flow.newVerifier();
        String code = Flow.mint(codes, TABS, TABS_REDIRECT, verifier, List.of("openid", "profile"), "n-tabs");
        Response response = Flow.exchange(TABS, code, TABS_REDIRECT, verifier);
        response.then().statusCode(200);
        return response;
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static String familyRevoked(String token) {
        return TestRedis.get().command("HGET", RedisKeys.family(OpaqueToken.parse(token).orElseThrow().family()), "revoked");
    }

    /** Waits (bounded) until the rotated token's grace has run out: Redis has dropped its record. */
    static void awaitGraceOver(String rotated) {
        OpaqueToken token = OpaqueToken.parse(rotated).orElseThrow();
        String graceKey = RedisKeys.refreshTokenGrace(token.family(), token.hash());
        TestRedis.get().awaitGone(graceKey, Duration.ofSeconds(6));
    }
}
