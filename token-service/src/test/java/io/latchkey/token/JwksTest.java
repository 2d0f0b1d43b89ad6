package io.latchkey.token;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** /jwks: every key of the ring, public parts only. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class JwksTest {

    @TestHTTPResource("/jwks")
    URI jwks;

    @Test
    void jwksThenEveryKeyIncludingTheRotatedOutOneWithoutPrivateParts() {
        given().get("/jwks").then()
                .statusCode(200)
                .contentType("application/jwk-set+json")
                .header("Cache-Control", "public, max-age=300")
                .body("keys.kid", contains("test-rs256-new", "test-es256", "test-eddsa", "test-rs256-old"))
                .body("keys", everyItem(not(hasKey("d"))))
                .body("keys", everyItem(not(hasKey("p"))));
    }

    /**
     * The JDK's client asks a plain-http server to upgrade to h2c; a relying party fetching keys that way got a
     * 500 when the body-size guard tried to read a GET's body after the upgrade had taken the stream over.
     */
    @Test
    void jwksWhenFetchedWithAnH2cUpgradeThenServed() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        for (int i = 0; i < 3; i++) { // the first request carries the upgrade, the next ones go over HTTP/2
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(jwks).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("test-rs256-new");
        }
    }
}
