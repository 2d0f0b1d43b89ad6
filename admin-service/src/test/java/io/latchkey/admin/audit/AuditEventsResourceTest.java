package io.latchkey.admin.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.latchkey.admin.TestTokens;
import io.latchkey.model.keys.PublishedKeys;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestPostgres;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /admin/events: filters, keyset pages, and every malformed request or token refused. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class AuditEventsResourceTest {

    @Inject
    PublishedKeys keys;

    private String actor;

    @BeforeEach
    void setUp() {
        TestTokens.publish(keys);
        actor = "client:test-" + UUID.randomUUID();
    }

    private static RequestSpecification auditor() {
        return given().header("Authorization", TestTokens.bearer("auditor", "audit"));
    }

    /** Inserts a row as the emitters do; its id. */
    private static long insert(String occurredAt, String type, String actor, String subject, String clientId, String details) {
        return Long.parseLong(TestPostgres.get().queryOne(String.format(
                "INSERT INTO audit_events (occurred_at, type, actor, subject, client_id, details) VALUES (%s, '%s', '%s', %s, %s, '%s') RETURNING id",
                occurredAt, type, actor, subject == null ? "NULL" : "'" + subject + "'",
                clientId == null ? "NULL" : "'" + clientId + "'", details)));
    }

    private long insert(String type) {
        return insert("now()", type, actor, "alice-sub", "spa", "{}");
    }

    @Test
    void pagesWhenWalkedThenEveryEventOnceNewestFirstEvenWithEventsArrivingMeanwhile() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(insert("login.succeeded"));
            insert("now()", "login.succeeded", "client:someone-else", "alice-sub", "spa", "{}");
        }
        List<Long> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String cursor = null;
        do {
            RequestSpecification request = auditor().queryParam("actor", actor).queryParam("limit", 3);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            Response page = request.get("/admin/events");
            page.then().statusCode(200).header("Cache-Control", "no-store");
            List<Long> pageIds = page.jsonPath().getList("events.id", Long.class);
            seen.addAll(pageIds);
            sizes.add(pageIds.size());
            cursor = page.jsonPath().getString("next");
            // A new event after the first page belongs before it: keyset pages neither repeat nor skip because of it.
            insert("login.succeeded");
        } while (cursor != null);

        assertThat(sizes).containsExactly(3, 3, 1);
        java.util.Collections.reverse(ids);
        assertThat(seen).containsExactlyElementsOf(ids);
    }

    @Test
    void eventHasTheDocumentedFields() {
        long id = insert("now()", "logout", actor, "alice-sub", "spa", "{\"sid\": \"s-1\", \"confirmed_by\": \"person\"}");
        auditor().queryParam("actor", actor).get("/admin/events").then().statusCode(200)
                .contentType("application/json")
                .body("events[0].id", equalTo((int) id))
                .body("events[0].type", equalTo("logout"))
                .body("events[0].actor", equalTo(actor))
                .body("events[0].subject", equalTo("alice-sub"))
                .body("events[0].client_id", equalTo("spa"))
                .body("events[0].details.sid", equalTo("s-1"))
                .body("events[0].occurred_at", org.hamcrest.Matchers.matchesPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"))
                .body("next", equalTo(null));
    }

    @Test
    void filtersCombineTypesSubjectClientAndTimeRange() {
        long failed = insert("'2026-03-01T10:00:00Z'", "login.failed", actor, null, "spa", "{}");
        long logout = insert("'2026-03-01T11:00:00Z'", "logout", actor, "bob-sub", null, "{}");
        long consent = insert("'2026-03-01T12:00:00Z'", "consent.given", actor, "bob-sub", "other", "{}");
        long late = insert("'2026-03-02T12:00:00Z'", "logout", actor, "bob-sub", "spa", "{}");

        assertThat(ids(Map.of("type", List.of("login.failed", "logout")))).containsExactly(late, logout, failed);
        assertThat(ids(Map.of("type", List.of("login.failed,consent.given")))).containsExactly(consent, failed);
        assertThat(ids(Map.of("subject", List.of("bob-sub")))).containsExactly(late, consent, logout);
        assertThat(ids(Map.of("client_id", List.of("spa")))).containsExactly(late, failed);
        // since inclusive, until exclusive; an offset other than Z is the same instant.
        assertThat(ids(Map.of("since", List.of("2026-03-01T12:00:00+01:00"), "until", List.of("2026-03-01T12:00:00Z"))))
                .containsExactly(logout);
        assertThat(ids(Map.of("type", List.of("logout"), "since", List.of("2026-03-02T00:00:00z")))).containsExactly(late);
    }

    private List<Long> ids(Map<String, List<String>> filters) {
        RequestSpecification request = auditor().queryParam("actor", actor);
        filters.forEach((name, values) -> values.forEach(value -> request.queryParam(name, value)));
        Response response = request.get("/admin/events");
        response.then().statusCode(200);
        return response.jsonPath().getList("events.id", Long.class);
    }

    @Test
    void cursorWhenNotOneThisEndpointReturnedThenInvalidRequest() {
        String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString("e1:-5".getBytes(StandardCharsets.US_ASCII));
        String foreign = Base64.getUrlEncoder().withoutPadding().encodeToString("42".getBytes(StandardCharsets.US_ASCII));
        for (String cursor : List.of("garbage!", tampered, foreign, "ZTE6OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5")) {
            auditor().queryParam("cursor", cursor).get("/admin/events").then()
                    .statusCode(400).contentType("application/json")
                    .body("error", equalTo("invalid_request"))
                    .body("error_description", containsString("cursor"));
        }
    }

    @Test
    void filterWhenMalformedThenInvalidRequestNamingIt() {
        Map<String, String> bad = Map.of(
                "typ", "login.failed",
                "type", "login.hacked",
                "since", "2026-03-01",
                "until", "yesterday",
                "limit", "501");
        bad.forEach((name, value) -> auditor().queryParam(name, value).get("/admin/events").then()
                .statusCode(400).body("error", equalTo("invalid_request"))
                .body("error_description", containsString(name)));
        for (String limit : List.of("0", "ten", "-1")) {
            auditor().queryParam("limit", limit).get("/admin/events").then().statusCode(400).body("error", equalTo("invalid_request"));
        }
        auditor().queryParam("actor", "a").queryParam("actor", "b").get("/admin/events").then()
                .statusCode(400).body("error_description", equalTo("actor is repeated."));
        auditor().queryParam("since", "2026-03-02T00:00:00Z").queryParam("until", "2026-03-01T00:00:00Z")
                .get("/admin/events").then().statusCode(400).body("error_description", equalTo("since is after until."));
        auditor().queryParam("subject", "").get("/admin/events").then().statusCode(400);
        // SQL in a filter is a value like any other.
        auditor().queryParam("actor", "x' OR '1'='1").get("/admin/events").then().statusCode(200).body("events.size()", equalTo(0));
    }

    @Test
    void tokenWhenWithoutTheAuditScopeThenForbidden() {
        insert("login.succeeded");
        given().header("Authorization", TestTokens.bearer("helpdesk", "scim clients sessions"))
                .get("/admin/events").then()
                .statusCode(403).body("error", equalTo("insufficient_scope"))
                .header("WWW-Authenticate", containsString("scope=\"audit\""));
        given().get("/admin/events").then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"));
    }
}
