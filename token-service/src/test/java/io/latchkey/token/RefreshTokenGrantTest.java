package io.latchkey.token;

import static io.latchkey.token.Flow.SPA;
import static io.latchkey.token.Flow.assertError;
import static io.latchkey.token.Flow.refresh;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import com.nimbusds.jwt.SignedJWT;
import io.latchkey.model.store.CodeStore;
import io.latchkey.model.store.RedisKeys;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** grant_type=refresh_token with rotation (RFC 6749 §6, RFC 9700 §4.14.2). */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class RefreshTokenGrantTest {

    @Inject
    CodeStore codes;

    @Test
    void refreshThenNewTokensAndTheOldRefreshTokenIsRotated() throws Exception {
        Response first = Flow.spaTokens(codes);
        String firstRefresh = first.path("refresh_token");
        Response second = refresh(SPA, firstRefresh);
        second.then().statusCode(200)
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache")
                .body("refresh_token", not(equalTo(firstRefresh)))
                .body("access_token", notNullValue())
                .body("scope", equalTo("openid profile email"));
        // OIDC Core §12.2: same sub, aud and auth_time as the original ID token, and no nonce.
        var original = SignedJWT.parse(first.path("id_token")).getJWTClaimsSet();
        var refreshed = SignedJWT.parse(second.path("id_token")).getJWTClaimsSet();
        assertThat(refreshed.getSubject()).isEqualTo(original.getSubject());
        assertThat(refreshed.getAudience()).isEqualTo(original.getAudience());
        assertThat(refreshed.getClaim("auth_time")).isEqualTo(original.getClaim("auth_time"));
        assertThat(refreshed.getClaim("nonce")).isNull();
        refresh(SPA, second.path("refresh_token")).then().statusCode(200);
    }

    @Test
    void refreshWhenRotatedTokenReusedThenInvalidGrantAndWholeFamilyRevoked() {
        Response first = Flow.spaTokens(codes);
        String stolen = first.path("refresh_token");
        Response legitimate = refresh(SPA, stolen);
        legitimate.then().statusCode(200);

        Response reuse = refresh(SPA, stolen);
        assertError(reuse, 400, "invalid_grant");
        reuse.then().body("error_description", equalTo("The refresh token has already been used; the grant is revoked."));
        // The family is dead: the current token no longer works and neither does any access token of it.
        assertError(refresh(SPA, legitimate.path("refresh_token")), 400, "invalid_grant");
        given().auth().oauth2(legitimate.path("access_token")).get("/userinfo").then().statusCode(401);
        OpaqueToken token = OpaqueToken.parse(stolen).orElseThrow();
        assertThat(TestRedis.get().command("HGET", RedisKeys.family(token.family()), "revoked")).isEqualTo("1");
    }

    @Test
    void refreshWhenNarrowerScopeThenAccessTokenNarrowedAndRefreshTokenKeepsOriginalScope() {
        Response first = Flow.spaTokens(codes);
        Response narrowed = given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token").formParam("client_id", SPA)
                .formParam("refresh_token", first.<String>path("refresh_token")).formParam("scope", "openid")
                .post("/token");
        narrowed.then().statusCode(200).body("scope", equalTo("openid"));
        refresh(SPA, narrowed.path("refresh_token")).then().statusCode(200).body("scope", equalTo("openid profile email"));
    }

    @Test
    void refreshWhenWiderScopeThenInvalidScopeAndTokenStillUsable() {
        Response first = Flow.spaTokens(codes);
        String refreshToken = first.path("refresh_token");
        assertError(given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token").formParam("client_id", SPA)
                .formParam("refresh_token", refreshToken).formParam("scope", "openid offline_access")
                .post("/token"), 400, "invalid_scope");
        refresh(SPA, refreshToken).then().statusCode(200);
    }

    @Test
    void refreshWhenPresentedByAnotherClientThenInvalidGrantAndTokenStillUsable() {
        Response first = Flow.spaTokens(codes);
        String refreshToken = first.path("refresh_token");
        Response response = refresh("other-spa", refreshToken);
        assertError(response, 400, "invalid_grant");
        response.then().body("error_description", equalTo("The refresh token was issued to another client."));
        refresh(SPA, refreshToken).then().statusCode(200);
    }

    @Test
    void refreshWhenTokenUnknownThenInvalidGrant() {
        assertError(refresh(SPA, OpaqueToken.newFamily().value()), 400, "invalid_grant");
        assertError(refresh(SPA, "garbage"), 400, "invalid_grant");
    }

    @Test
    void refreshWhenIdleLifetimeEndedThenInvalidGrant() {
        Response first = Flow.spaTokens(codes);
        OpaqueToken token = OpaqueToken.parse(first.path("refresh_token")).orElseThrow();
        Flow.expireNow(RedisKeys.refreshToken(token.family(), token.hash()));
        assertError(refresh(SPA, token.value()), 400, "invalid_grant");
    }

    @Test
    void refreshWhenAbsoluteLifetimeEndedThenInvalidGrant() {
        Response first = Flow.spaTokens(codes);
        OpaqueToken token = OpaqueToken.parse(first.path("refresh_token")).orElseThrow();
        Flow.expireNow(RedisKeys.family(token.family()));
        assertError(refresh(SPA, token.value()), 400, "invalid_grant");
    }

    @Test
    void refreshWhenRefreshTokenMissingThenInvalidRequest() {
        assertError(given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token").formParam("client_id", SPA).post("/token"), 400, "invalid_request");
    }
}
