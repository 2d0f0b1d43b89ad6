package io.latchkey.authorize;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Health and metrics live on the management interface, never on the port the Ingress routes to. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ManagementInterfaceTest {

    @TestHTTPResource(value = "metrics", management = true) // under the management root, /q
    URL metrics;

    @TestHTTPResource(value = "health", management = true) // under the management root, /q
    URL health;

    @Test
    void healthAndMetricsWhenAskedOnTheTrafficPortThenNotFound() {
        for (String path : List.of("/q/health", "/q/health/ready", "/q/health/live", "/q/health/started", "/q/metrics")) {
            assertThat(given().get(path).statusCode()).as(path).isEqualTo(404);
        }
        assertThat(metrics.getPort()).isNotEqualTo(RestAssured.port);
        given().get(health).then().statusCode(200);
        String scrape = given().get(metrics).then().statusCode(200).extract().asString();
        assertThat(scrape).contains("jvm_memory_used_bytes");
    }

    @Test
    void discoveryRequestedThenLatencyHistogramBucketsForItsRouteInTheScrape() {
        given().get("/.well-known/openid-configuration").then().statusCode(200);
        String scrape = given().get(metrics).then().statusCode(200).extract().asString();
        assertThat(scrape.lines()
                .filter(line -> line.startsWith("http_server_requests_seconds_bucket{"))
                .filter(line -> line.contains("uri=\"/.well-known/openid-configuration\"")))
                .anyMatch(line -> line.contains("le=\"+Inf\""));
    }
}
