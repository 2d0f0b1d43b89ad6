package io.latchkey.token;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.model.store.CodeStore;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Health and metrics live on the management interface, never on the port the Ingress routes to. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ManagementInterfaceTest {

    @Inject
    CodeStore codes;

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
        given().get(metrics).then().statusCode(200);
    }

    @Test
    void tokenRequestsThenLatencyHistogramBucketsForTokenInTheScrape() {
        Flow.spaTokens(codes).then().statusCode(200);

        String scrape = given().get(metrics).then().statusCode(200).extract().asString();
        // histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket{uri="/token"}[5m])))
        // needs cumulative buckets per le, up to +Inf, for the /token route.
        List<String> buckets = scrape.lines()
                .filter(line -> line.startsWith("http_server_requests_seconds_bucket{"))
                .filter(line -> line.contains("uri=\"/token\""))
                .toList();
        assertThat(buckets).hasSizeGreaterThan(10);
        assertThat(buckets).anyMatch(line -> line.contains("le=\"+Inf\""));
        assertThat(buckets).anyMatch(Pattern.compile("le=\"0\\.00[0-9]+\"").asPredicate());
        assertThat(buckets).anyMatch(Pattern.compile("le=\"10\\.0\"").asPredicate());
    }
}
