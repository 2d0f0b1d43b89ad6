package io.latchkey.token;

import static io.latchkey.token.Flow.assertError;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The token endpoint's request rules (RFC 6749 §3.2, §2.3, §5.2) that hold whatever the grant. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class TokenRequestTest {

    private static final String FORM = "application/x-www-form-urlencoded";

    @Test
    void tokenWhenBodyIsJsonThenInvalidRequest() {
        Response response = given().contentType("application/json").body("{\"grant_type\":\"client_credentials\"}").post("/token");
        assertError(response, 400, "invalid_request");
        response.then().body("error_description", equalTo("The request body must be application/x-www-form-urlencoded."));
    }

    @Test
    void tokenWhenParameterRepeatedThenInvalidRequest() {
        Response response = given().contentType(FORM)
                .body("grant_type=client_credentials&client_id=backend&client_id=spa&client_secret=backend-secret")
                .post("/token");
        assertError(response, 400, "invalid_request");
        response.then().body("error_description", equalTo("Parameter client_id is repeated."));
    }

    @Test
    void tokenWhenBodyLargerThanLimitThenInvalidRequestNot5xx() {
        Response response = given().contentType(FORM).body("grant_type=client_credentials&pad=" + "x".repeat(20_000)).post("/token");
        assertError(response, 400, "invalid_request");
        response.then().body("error_description", equalTo("The request body is too large."));
    }

    @Test
    void tokenWhenChunkedBodyLargerThanLimitThenInvalidRequest() throws Exception {
        HttpResponse<String> response = postChunked(20_000);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.body()).isEqualTo("{\"error\":\"invalid_request\",\"error_description\":\"The request body is too large.\"}");
    }

    @Test
    void tokenWhenChunkedBodyLargerThanQuarkusLimitThen413Not5xx() throws Exception {
        // Past quarkus.http.limits.max-body-size, Quarkus stops reading and answers 413 itself.
        assertThat(postChunked(100_000).statusCode()).isEqualTo(413);
    }

    /** A body without Content-Length (Transfer-Encoding: chunked): its size is known only once read. */
    private static HttpResponse<String> postChunked(int padding) throws Exception {
        byte[] body = ("grant_type=client_credentials&pad=" + "x".repeat(padding)).getBytes(StandardCharsets.US_ASCII);
        HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/token"))
                .header("Content-Type", FORM)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void tokenWhenParameterIsBadlyPercentEncodedThenInvalidRequest() {
        assertError(given().contentType(FORM).body("grant_type=%zz").post("/token"), 400, "invalid_request");
    }

    @Test
    void tokenWhenGrantTypeMissingThenInvalidRequest() {
        Response response = given().contentType(FORM).formParam("client_id", "spa").post("/token");
        assertError(response, 400, "invalid_request");
        response.then().body("error_description", equalTo("grant_type is required."));
    }

    @Test
    void tokenWhenGrantTypeUnknownThenUnsupportedGrantType() {
        assertError(given().contentType(FORM).formParam("grant_type", "password").formParam("client_id", "spa")
                .formParam("username", "alice").formParam("password", "alice-password").post("/token"), 400, "unsupported_grant_type");
    }

    @Test
    void tokenWhenClientNotRegisteredForGrantThenUnauthorizedClient() {
        Response response = given().contentType(FORM).formParam("grant_type", "refresh_token").formParam("client_id", "no-refresh")
                .formParam("refresh_token", "anything").post("/token");
        assertError(response, 400, "unauthorized_client");
    }

    @Test
    void tokenWhenClientUnknownThenInvalidClientWithChallenge() {
        Response response = given().contentType(FORM).formParam("grant_type", "client_credentials").formParam("client_id", "nobody")
                .post("/token");
        assertError(response, 401, "invalid_client");
        response.then().header("WWW-Authenticate", "Basic realm=\"latchkey\"");
    }

    @Test
    void tokenWhenSecretWrongWithClientSecretBasicThenInvalidClientWithChallenge() {
        Response response = given().contentType(FORM).header("Authorization", basic("backend", "wrong-secret"))
                .formParam("grant_type", "client_credentials").post("/token");
        assertError(response, 401, "invalid_client");
        response.then()
                .header("WWW-Authenticate", "Basic realm=\"latchkey\"")
                .body("error_description", equalTo("Client authentication failed."));
    }

    @Test
    void tokenWhenSecretWrongWithClientSecretPostThenInvalidClient() {
        assertError(given().contentType(FORM).formParam("grant_type", "client_credentials").formParam("client_id", "backend")
                .formParam("client_secret", "wrong-secret").post("/token"), 401, "invalid_client");
    }

    @Test
    void tokenWhenBothBasicAndPostCredentialsThenInvalidRequest() {
        assertError(given().contentType(FORM).header("Authorization", basic("backend", "backend-secret"))
                .formParam("grant_type", "client_credentials").formParam("client_secret", "backend-secret").post("/token"),
                400, "invalid_request");
    }

    @Test
    void tokenWhenPublicClientSendsSecretThenInvalidClient() {
        assertError(given().contentType(FORM).formParam("grant_type", "authorization_code").formParam("client_id", "spa")
                .formParam("client_secret", "guess").formParam("code", "x").post("/token"), 401, "invalid_client");
    }

    @Test
    void tokenWhenClientSecretPostIsRightThenTokens() {
        given().contentType(FORM).formParam("grant_type", "client_credentials").formParam("client_id", "backend")
                .formParam("client_secret", "backend-secret").post("/token")
                .then().statusCode(200).header("Cache-Control", "no-store").header("Pragma", "no-cache")
                .body("access_token", notNullValue());
    }

    @Test
    void tokenWhenGetThenMethodNotAllowed() {
        given().get("/token").then().statusCode(405);
    }

    static String basic(String clientId, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes());
    }
}
