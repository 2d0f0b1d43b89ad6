package io.latchkey.token;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;

import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** /jwks: every key of the ring, public parts only. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class JwksTest {

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
}
