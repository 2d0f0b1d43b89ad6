package io.latchkey.token;

import static io.latchkey.token.Flow.SPA_ORIGIN;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.latchkey.model.store.CodeStore;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** CORS only for origins that registered clients declare; at /token only the requesting client's own. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class CorsTest {

    @Inject
    CodeStore codes;

    @Test
    void preflightFromRegisteredOriginThenAllowedForThatOriginOnly() {
        given().header("Origin", SPA_ORIGIN).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type").options("/token")
                .then().statusCode(204)
                .header("Access-Control-Allow-Origin", SPA_ORIGIN)
                .header("Access-Control-Allow-Methods", "POST")
                .header("Access-Control-Allow-Headers", "Authorization, Content-Type, DPoP, traceparent, tracestate")
                .header("Access-Control-Max-Age", "600")
                .header("Access-Control-Allow-Credentials", nullValue())
                .header("Vary", "Origin");
    }

    @Test
    void preflightFromUnlistedOriginThenRefusedWithoutAllowOrigin() {
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST").options("/token")
                .then().statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue())
                .header("Vary", "Origin");
    }

    @Test
    void preflightAskingForAnUnlistedHeaderThenRefused() {
        given().header("Origin", SPA_ORIGIN).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "x-custom").options("/token")
                .then().statusCode(403).header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void preflightAskingForTheDpopHeaderThenAllowedAtTokenAndUserinfo() {
        for (String path : new String[] {"/token", "/userinfo"}) {
            given().header("Origin", SPA_ORIGIN).header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "content-type, dpop, authorization").options(path)
                    .then().statusCode(204).header("Access-Control-Allow-Origin", SPA_ORIGIN)
                    .header("Access-Control-Allow-Headers", "Authorization, Content-Type, DPoP, traceparent, tracestate");
        }
    }

    /** An app instrumented with OpenTelemetry sends W3C Trace Context on its own calls (docs/kubernetes.md, "Traces"). */
    @Test
    void preflightAskingForTraceContextHeadersThenAllowedOnEveryCorsEndpoint() {
        for (String path : new String[] {"/token", "/userinfo", "/revoke", "/jwks"}) {
            String method = "/jwks".equals(path) ? "GET" : "POST";
            given().header("Origin", SPA_ORIGIN).header("Access-Control-Request-Method", method)
                    .header("Access-Control-Request-Headers", "traceparent, tracestate, content-type").options(path)
                    .then().statusCode(204).header("Access-Control-Allow-Origin", SPA_ORIGIN)
                    .header("Access-Control-Allow-Headers", "Authorization, Content-Type, DPoP, traceparent, tracestate");
        }
    }

    @Test
    void preflightForUserinfoThenGetAndPostAllowed() {
        given().header("Origin", SPA_ORIGIN).header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization").options("/userinfo")
                .then().statusCode(204).header("Access-Control-Allow-Methods", "GET, POST");
    }

    @Test
    void tokenFromTheClientsOwnOriginThenAllowOriginAndExposedHeaders() {
        String verifier = Flow.newVerifier();
        given().header("Origin", SPA_ORIGIN).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "authorization_code").formParam("client_id", Flow.SPA)
                .formParam("code", Flow.mintSpa(codes, verifier)).formParam("redirect_uri", Flow.SPA_REDIRECT)
                .formParam("code_verifier", verifier).post("/token")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", SPA_ORIGIN)
                .header("Access-Control-Expose-Headers", "WWW-Authenticate, Retry-After, DPoP-Nonce")
                .header("Vary", "Origin");
    }

    @Test
    void tokenErrorFromTheClientsOwnOriginThenReadableByTheApp() {
        given().header("Origin", SPA_ORIGIN).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token").formParam("client_id", Flow.SPA).formParam("refresh_token", "x")
                .post("/token")
                .then().statusCode(400).body("error", equalTo("invalid_grant"))
                .header("Access-Control-Allow-Origin", SPA_ORIGIN);
    }

    @Test
    void tokenFromAnotherRegisteredClientsOriginThenNoAllowOrigin() {
        given().header("Origin", "https://other.example").contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token").formParam("client_id", Flow.SPA).formParam("refresh_token", "x")
                .post("/token")
                .then().statusCode(400)
                .header("Access-Control-Allow-Origin", nullValue())
                .header("Vary", "Origin");
    }

    @Test
    void requestFromUnlistedOriginThenNoAllowOrigin() {
        given().header("Origin", "https://evil.example").get("/jwks")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", nullValue())
                .header("Vary", "Origin");
    }

    @Test
    void jwksFromRegisteredOriginThenAllowOrigin() {
        given().header("Origin", "https://other.example").get("/jwks")
                .then().statusCode(200).header("Access-Control-Allow-Origin", "https://other.example");
    }

    @Test
    void introspectIsNotACorsEndpoint() {
        given().header("Origin", SPA_ORIGIN).header("Access-Control-Request-Method", "POST").options("/introspect")
                .then().header("Access-Control-Allow-Origin", nullValue());
    }
}
