package io.latchkey.token;

import static io.latchkey.token.Flow.SPA;
import static io.latchkey.token.Flow.SPA_REDIRECT;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.model.directory.DirectoryChanges;
import io.latchkey.model.store.CodeStore;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestPostgres;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped or frozen: the token leg does not notice. Code exchange, refresh, client_credentials and
 * /userinfo answer from Redis and the directory caches, and the replica stays ready.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class DirectoryOutageTest {

    @Inject
    CodeStore codes;

    @Inject
    DirectoryChanges changes;

    @TestHTTPResource(value = "health/ready", management = true)
    URL readiness;

    @Test
    void tokenLegWhenPostgresStoppedThenExchangeRefreshClientCredentialsAndUserinfoKeepAnswering() {
        Response warm = warmUp();

        TestPostgres.get().stop();
        try {
            assertTokenLegAnswers(warm.jsonPath().getString("refresh_token"));
        } finally {
            TestPostgres.get().start();
        }
    }

    @Test
    void tokenLegWhenPostgresFrozenThenNoAnswerWaitsForIt() {
        Response warm = warmUp();

        TestPostgres.get().pause();
        try {
            long started = System.nanoTime();
            assertTokenLegAnswers(warm.jsonPath().getString("refresh_token"));
            // Each call would have waited for the 2 s directory deadline had it asked PostgreSQL.
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(2));
        } finally {
            TestPostgres.get().resume();
        }
    }

    /**
     * What the caches hold once the replica has served these clients and this user. After an earlier restart of
     * PostgreSQL the change listener first reconnects, which empties the caches: warming up before that would
     * leave them empty for the outage.
     */
    private Response warmUp() {
        awaitListener(changes);
        Response tokens = Flow.spaTokens(codes);
        clientCredentials().then().statusCode(200);
        given().auth().oauth2(tokens.jsonPath().getString("access_token")).get("/userinfo").then().statusCode(200);
        return tokens;
    }

    private void assertTokenLegAnswers(String refreshToken) {
        String verifier = Flow.newVerifier();
        Response exchanged = Flow.exchange(SPA, Flow.mintSpa(codes, verifier), SPA_REDIRECT, verifier);
        assertThat(exchanged.statusCode()).as(exchanged.asString()).isEqualTo(200);

        Response refreshed = Flow.refresh(SPA, refreshToken);
        assertThat(refreshed.statusCode()).as(refreshed.asString()).isEqualTo(200);
        assertThat(refreshed.jsonPath().getString("refresh_token")).isNotEqualTo(refreshToken);

        clientCredentials().then().statusCode(200);
        given().auth().oauth2(exchanged.jsonPath().getString("access_token")).get("/userinfo").then().statusCode(200);
        given().get(readiness).then().statusCode(200);
    }

    private static Response clientCredentials() {
        return given().auth().preemptive().basic("backend", "backend-secret")
                .formParam("grant_type", "client_credentials")
                .post("/token");
    }

    /** Waits until the directory change listener is connected (again), and a moment for its cache drop to run. */
    static void awaitListener(DirectoryChanges changes) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        try {
            while (!changes.connected()) {
                assertThat(System.nanoTime()).as("directory change listener connected").isLessThan(deadline);
                Thread.sleep(20);
            }
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
