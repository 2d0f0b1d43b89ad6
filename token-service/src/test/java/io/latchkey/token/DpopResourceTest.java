package io.latchkey.token;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.nimbusds.oauth2.sdk.token.DPoPTokenError;
import io.latchkey.model.dpop.Dpop;
import io.latchkey.model.store.CodeStore;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Date;
import org.junit.jupiter.api.Test;

/**
 * A DPoP-bound access token at /userinfo (RFC 9449 §7) and at /introspect (§6.2): only with a fresh proof of its key,
 * never as a bearer token. Refusals carry the DPoP challenge (§7.1), which Nimbus parses.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class DpopResourceTest {

    private static final String ALGS = String.join(" ", Dpop.SIGNING_ALGORITHMS);

    @Inject
    CodeStore codes;

    private static Response userinfo(String authorization, String proof) {
        var request = given().header("Authorization", authorization);
        return (proof == null ? request : request.header("DPoP", proof)).get("/userinfo");
    }

    /** 401 with a DPoP challenge naming the error and the algorithms, and the same error in the body. */
    private static void assertDpopChallenge(Response response, String error, String description) throws Exception {
        response.then().statusCode(401).header("Cache-Control", "no-store").header("DPoP-Nonce", nullValue())
                .body("error", equalTo(error)).body("error_description", containsString(description));
        String challenge = response.header("WWW-Authenticate");
        assertThat(challenge).startsWith("DPoP realm=\"latchkey\", error=\"" + error + "\"").endsWith("algs=\"" + ALGS + "\"");
        DPoPTokenError parsed = DPoPTokenError.parse(challenge);
        assertThat(parsed.getCode()).isEqualTo(error);
        assertThat(parsed.getJWSAlgorithms()).extracting(Object::toString).contains("ES256", "EdDSA").doesNotContain("none", "HS256");
    }

    @Test
    void userinfoWithDpopSchemeAndAProofOfTheKeyThenClaimsByGetAndPost() {
        DpopKey key = DpopKey.generate();
        String accessToken = DpopTokenTest.boundSpaTokens(codes, key).path("access_token");
        userinfo("DPoP " + accessToken, key.userinfoProof("GET", accessToken)).then().statusCode(200)
                .header("Cache-Control", "no-store").header("DPoP-Nonce", nullValue())
                .body("sub", equalTo(Flow.ALICE)).body("email", equalTo("alice@example.com"));
        given().header("Authorization", "dpop " + accessToken).header("DPoP", key.userinfoProof("POST", accessToken)).post("/userinfo")
                .then().statusCode(200).body("sub", equalTo(Flow.ALICE));
    }

    @Test
    void userinfoWhenBoundTokenPresentedAsBearerThenInvalidTokenWithDpopChallenge() throws Exception {
        DpopKey key = DpopKey.generate();
        String accessToken = DpopTokenTest.boundSpaTokens(codes, key).path("access_token");
        assertDpopChallenge(userinfo("Bearer " + accessToken, null), "invalid_token", "present it with the DPoP scheme");
        // Even with a valid proof beside it, and in the form body: no downgrade to bearer use (RFC 9449 §7.2).
        assertDpopChallenge(userinfo("Bearer " + accessToken, key.userinfoProof("GET", accessToken)), "invalid_token",
                "present it with the DPoP scheme");
        Response form = given().contentType("application/x-www-form-urlencoded").formParam("access_token", accessToken).post("/userinfo");
        assertDpopChallenge(form, "invalid_token", "present it with the DPoP scheme");
    }

    @Test
    void userinfoWhenBoundTokenWithoutProofThenInvalidDpopProof() throws Exception {
        DpopKey key = DpopKey.generate();
        String accessToken = DpopTokenTest.boundSpaTokens(codes, key).path("access_token");
        assertDpopChallenge(userinfo("DPoP " + accessToken, null), "invalid_dpop_proof", "A DPoP proof is required");
    }

    @Test
    void userinfoWhenProofIsOfAnotherKeyThenInvalidToken() throws Exception {
        DpopKey key = DpopKey.generate();
        String accessToken = DpopTokenTest.boundSpaTokens(codes, key).path("access_token");
        DpopKey thief = DpopKey.generate();
        assertDpopChallenge(userinfo("DPoP " + accessToken, thief.userinfoProof("GET", accessToken)), "invalid_token",
                "not the one the access token is bound to");
        userinfo("DPoP " + accessToken, key.userinfoProof("GET", accessToken)).then().statusCode(200);
    }

    @Test
    void userinfoWhenProofsAthIsForAnotherTokenThenInvalidDpopProof() throws Exception {
        DpopKey key = DpopKey.generate();
        String accessToken = DpopTokenTest.boundSpaTokens(codes, key).path("access_token");
        String otherToken = DpopTokenTest.boundSpaTokens(codes, key).path("access_token");
        assertDpopChallenge(userinfo("DPoP " + accessToken, key.userinfoProof("GET", otherToken)), "invalid_dpop_proof", "(ath)");
        // A proof made for the token endpoint (no ath at all) is not one for this request either.
        assertDpopChallenge(userinfo("DPoP " + accessToken, key.tokenProof(null)), "invalid_dpop_proof", "another HTTP method");
        assertDpopChallenge(userinfo("DPoP " + accessToken, key.proof("GET", DpopKey.USERINFO, new Date(), null, null)),
                "invalid_dpop_proof", "no ath");
    }

    @Test
    void userinfoWhenProofReplayedThenInvalidDpopProof() throws Exception {
        DpopKey key = DpopKey.generate();
        String accessToken = DpopTokenTest.boundSpaTokens(codes, key).path("access_token");
        String proof = key.userinfoProof("GET", accessToken);
        userinfo("DPoP " + accessToken, proof).then().statusCode(200);
        assertDpopChallenge(userinfo("DPoP " + accessToken, proof), "invalid_dpop_proof", "already been used");
    }

    @Test
    void userinfoWhenProofIsForAnotherUrlOrMethodThenInvalidDpopProof() throws Exception {
        DpopKey key = DpopKey.generate();
        String accessToken = DpopTokenTest.boundSpaTokens(codes, key).path("access_token");
        assertDpopChallenge(userinfo("DPoP " + accessToken, key.proof("GET", DpopKey.TOKEN, new Date(), accessToken, null)),
                "invalid_dpop_proof", "another URL (htu)");
        assertDpopChallenge(userinfo("DPoP " + accessToken, key.userinfoProof("POST", accessToken)),
                "invalid_dpop_proof", "another HTTP method (htm)");
    }

    @Test
    void userinfoWhenDpopSchemeCarriesAnUnboundTokenThenInvalidToken() throws Exception {
        DpopKey key = DpopKey.generate();
        String bearer = Flow.spaTokens(codes).path("access_token");
        assertDpopChallenge(userinfo("DPoP " + bearer, key.userinfoProof("GET", bearer)), "invalid_token",
                "not bound to a DPoP key");
        // The bearer token itself keeps working as before.
        given().auth().oauth2(bearer).get("/userinfo").then().statusCode(200).header("WWW-Authenticate", nullValue());
    }

    @Test
    void userinfoWhenDpopSchemeTokenIsInvalidThenInvalidTokenWithDpopChallenge() throws Exception {
        DpopKey key = DpopKey.generate();
        assertDpopChallenge(userinfo("DPoP not-a-token", key.userinfoProof("GET", "not-a-token")), "invalid_token",
                "The access token is invalid.");
    }

    @Test
    void userinfoWhenTwoProofHeadersThenInvalidDpopProof() throws Exception {
        DpopKey key = DpopKey.generate();
        String accessToken = DpopTokenTest.boundSpaTokens(codes, key).path("access_token");
        Response response = given().header("Authorization", "DPoP " + accessToken)
                .header("DPoP", key.userinfoProof("GET", accessToken)).header("DPoP", key.userinfoProof("GET", accessToken))
                .get("/userinfo");
        assertDpopChallenge(response, "invalid_dpop_proof", "one DPoP header");
    }

    @Test
    void introspectWhenDpopBoundTokensThenTokenTypeDpopAndCnfOfTheKey() {
        DpopKey key = DpopKey.generate();
        Response tokens = DpopTokenTest.boundSpaTokens(codes, key);
        given().contentType("application/x-www-form-urlencoded").header("Authorization", TokenRequestTest.basic("resource-server", "rs-secret"))
                .formParam("token", tokens.<String>path("access_token")).post("/introspect")
                .then().statusCode(200).body("active", equalTo(true)).body("token_type", equalTo("DPoP"))
                .body("cnf.jkt", equalTo(key.jkt()));
        given().contentType("application/x-www-form-urlencoded").header("Authorization", TokenRequestTest.basic("resource-server", "rs-secret"))
                .formParam("token", tokens.<String>path("refresh_token")).post("/introspect")
                .then().statusCode(200).body("active", equalTo(true)).body("token_type", equalTo("refresh_token"))
                .body("cnf.jkt", equalTo(key.jkt()));
        // A bearer token's answer is as before: no cnf.
        String bearer = Flow.spaTokens(codes).path("access_token");
        given().contentType("application/x-www-form-urlencoded").header("Authorization", TokenRequestTest.basic("resource-server", "rs-secret"))
                .formParam("token", bearer).post("/introspect")
                .then().statusCode(200).body("token_type", equalTo("Bearer")).body("$", not(hasKey("cnf")));
    }

    @Test
    void userinfoWithoutAnyTokenThenBearerChallengeAsBefore() {
        given().get("/userinfo").then().statusCode(401).header("WWW-Authenticate", startsWith("Bearer realm="));
    }
}
