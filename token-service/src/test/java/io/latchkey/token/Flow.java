package io.latchkey.token;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.model.domain.CodeGrant;
import io.latchkey.model.pkce.Pkce;
import io.latchkey.model.store.CodeStore;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.testing.TestRedis;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;

/** The steps of the flow that the tests repeat: mint a code as the authorize leg would, exchange it. */
public final class Flow {

    public static final String SPA = "spa";
    public static final String SPA_REDIRECT = "http://localhost:5173/callback";
    public static final String SPA_ORIGIN = "http://localhost:5173";
    public static final String ALICE = "0d6b8f5e-alice";
    public static final String ISSUER = "http://localhost:8080";

    private Flow() {
    }

    public static String newVerifier() {
        return OpaqueToken.randomId(32) + "-._~";
    }

    /** A code the authorize leg would have minted for this client, as alice, with this verifier's challenge. */
    public static String mint(CodeStore codes, String clientId, String redirectUri, String verifier, List<String> scopes, String nonce) {
        return mint(codes, clientId, redirectUri, verifier, scopes, nonce, List.of("pwd"));
    }

    /** As {@link #mint}, for a sign-in made with these RFC 8176 methods. */
    public static String mint(CodeStore codes, String clientId, String redirectUri, String verifier, List<String> scopes, String nonce,
            List<String> amr) {
        long now = System.currentTimeMillis() / 1000;
        CodeGrant grant = new CodeGrant(clientId, redirectUri, Pkce.s256(verifier), scopes, nonce, ALICE, now - 5,
                "sid-" + OpaqueToken.randomId(8), amr, now);
        return codes.issue(grant).await().atMost(Duration.ofSeconds(5)).value();
    }

    /** A code for the SPA bound to a DPoP key with dpop_jkt (RFC 9449 §10), as authorize-service mints one. */
    public static String mintBound(CodeStore codes, String verifier, String dpopJkt) {
        long now = System.currentTimeMillis() / 1000;
        CodeGrant grant = new CodeGrant(SPA, SPA_REDIRECT, Pkce.s256(verifier), List.of("openid", "profile", "email"), "n-0S6_WzA2Mj",
                ALICE, now - 5, "sid-" + OpaqueToken.randomId(8), List.of("pwd"), now, dpopJkt);
        return codes.issue(grant).await().atMost(Duration.ofSeconds(5)).value();
    }

    public static String mintSpa(CodeStore codes, String verifier) {
        return mint(codes, SPA, SPA_REDIRECT, verifier, List.of("openid", "profile", "email"), "n-0S6_WzA2Mj");
    }

    public static Response exchange(String clientId, String code, String redirectUri, String verifier) {
        return given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "authorization_code")
                .formParam("client_id", clientId)
                .formParam("code", code)
                .formParam("redirect_uri", redirectUri)
                .formParam("code_verifier", verifier)
                .post("/token");
    }

    public static Response refresh(String clientId, String refreshToken) {
        return given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token")
                .formParam("client_id", clientId)
                .formParam("refresh_token", refreshToken)
                .post("/token");
    }

    /**
     * Ends a key's life now instead of waiting it out: a PEXPIRE of 0 makes Redis delete it, which every
     * later command sees exactly as if its time to live had run out. The key must have had one.
     */
    public static void expireNow(String key) {
        assertThat(Long.parseLong(TestRedis.get().command("PTTL", key))).as("%s has a time to live", key).isPositive();
        TestRedis.get().command("PEXPIRE", key, "0");
        assertThat(TestRedis.get().command("EXISTS", key)).isEqualTo("0");
    }

    /** The RFC 6749 §5.2 error answer: exact status and error, never cached. */
    public static void assertError(Response response, int status, String error) {
        response.then()
                .statusCode(status)
                .contentType("application/json")
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache")
                .body("error", org.hamcrest.Matchers.equalTo(error));
    }

    /** A fresh exchange for the SPA: access_token, id_token, refresh_token. */
    public static Response spaTokens(CodeStore codes) {
        String verifier = newVerifier();
        Response response = exchange(SPA, mintSpa(codes, verifier), SPA_REDIRECT, verifier);
        response.then().statusCode(200);
        return response;
    }
}
