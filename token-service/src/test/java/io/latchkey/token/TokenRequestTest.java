package io.latchkey.token;

import static io.latchkey.token.Flow.assertError;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The token endpoint's request rules (RFC 6749 §3.2, §2.3, §5.2) that hold whatever the grant. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
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
        assertTooLarge(postChunked("/token", 20_000));
    }

    /** Past what Quarkus' own limit was (64K), a chunked body met a bare 413 with no body at all. */
    @Test
    void tokenWhenChunkedBodyFarLargerThanLimitThenInvalidRequestWithJsonNotBare413() throws Exception {
        assertTooLarge(postChunked("/token", 1_000_000));
    }

    @Test
    void tokenWhenContentLengthAnnouncesFarLargerBodyThenInvalidRequestWithJsonBeforeReadingIt() throws Exception {
        assertTooLarge(post("/token", 1_000_000, false));
        assertTooLarge(post("/token", 20_000, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/revoke", "/introspect", "/userinfo"})
    void everyEndpointWhenChunkedBodyLargerThanLimitThenInvalidRequestWithJson(String path) throws Exception {
        assertTooLarge(postChunked(path, 100_000));
    }

    /**
     * The limit counts bytes, not characters: a body of exactly 16384 bytes passes the size check, one byte
     * more is refused, though "é" sent as raw UTF-8 makes either about half as many characters.
     */
    @Test
    void tokenWhenBodyAtLimitInBytesOfMultiByteCharactersThenOnlyOneByteMoreIsTooLarge() throws Exception {
        String prefix = "grant_type=client_credentials&client_id=nobody&pad=";
        int room = 16_384 - prefix.length();
        byte[] atLimit = (prefix + "\u00e9".repeat(room / 2) + "x".repeat(room % 2)).getBytes(StandardCharsets.UTF_8);
        assertThat(atLimit).hasSize(16_384);
        for (boolean chunked : new boolean[] {true, false}) {
            HttpResponse<String> response = send("/token", atLimit, chunked);
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.body()).contains("\"error\":\"invalid_client\"");
            assertTooLarge(send("/token", Arrays.copyOf(atLimit, atLimit.length + 1), chunked));
        }
    }

    @Test
    void tokenWhenParameterIsNotUtf8ThenInvalidRequest() {
        Response response = given().contentType(FORM).body("grant_type=client_credentials&client_id=caf%E9").post("/token");
        assertError(response, 400, "invalid_request");
        response.then().body("error_description", equalTo("The request parameters are not valid UTF-8."));
    }

    @Test
    void tokenWhenParameterHasControlCharacterThenInvalidRequest() {
        Response response = given().contentType(FORM).body("grant_type=client_credentials&client_id=backend%0D%0Aevil").post("/token");
        assertError(response, 400, "invalid_request");
        response.then().body("error_description", equalTo("The request parameters contain control characters."));
    }

    private static void assertTooLarge(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.body()).isEqualTo("{\"error\":\"invalid_request\",\"error_description\":\"The request body is too large.\"}");
    }

    private static HttpResponse<String> postChunked(String path, int padding) throws Exception {
        return post(path, padding, true);
    }

    private static HttpResponse<String> post(String path, int padding, boolean chunked) throws Exception {
        return send(path, ("grant_type=client_credentials&pad=" + "x".repeat(padding)).getBytes(StandardCharsets.US_ASCII), chunked);
    }

    /**
     * A real request: chunked (Transfer-Encoding, no Content-Length: its size is known only once read) or
     * announced by Content-Length.
     */
    private static HttpResponse<String> send(String path, byte[] body, boolean chunked) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + path))
                .header("Content-Type", FORM)
                .POST(chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                        : HttpRequest.BodyPublishers.ofByteArray(body))
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

    /** Clients that speak HTTP/2 (after an h2c upgrade on plain http) get the same JSON answers. */
    @Test
    void tokenWhenPostedOverHttp2ThenTheFormIsReadAndAnsweredInJson() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        HttpRequest warmUp = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/jwks")).build();
        client.send(warmUp, HttpResponse.BodyHandlers.discarding()); // carries the upgrade
        HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/token"))
                .header("Content-Type", FORM)
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=spa&username=a&password=b"))
                .build();
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).contains("\"error\":\"unsupported_grant_type\"");
        }
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
    void tokenWhenBasicCredentialsHaveBrokenPercentEncodingOrControlCharactersThenInvalidClient() {
        for (String[] credentials : new String[][] {{"backend%zz", "backend-secret"}, {"backend", "backend-secret%"},
                {"back%0Aend", "backend-secret"}, {"backend", "secret\u0007"}}) {
            Response response = given().contentType(FORM).header("Authorization", basic(credentials[0], credentials[1]))
                    .formParam("grant_type", "client_credentials").post("/token");
            assertError(response, 401, "invalid_client");
            response.then().header("WWW-Authenticate", "Basic realm=\"latchkey\"");
        }
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
