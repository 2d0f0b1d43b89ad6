package io.latchkey.admin.scim;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.latchkey.admin.TestTokens;
import io.latchkey.model.domain.CodeGrant;
import io.latchkey.model.domain.SsoSession;
import io.latchkey.model.store.CodeStore;
import io.latchkey.model.store.RedisKeys;
import io.latchkey.model.store.SessionStore;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.latchkey.model.keys.PublishedKeys;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Attacks on /scim/v2 and its wire rules, over real HTTP, against the real PostgreSQL and Redis. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ScimAttacksTest {

    static final String SCIM_JSON = "application/scim+json";
    /** REST Assured would encode a body of this type in ISO-8859-1 unless told. */
    static final String SCIM_JSON_UTF8 = "application/scim+json; charset=UTF-8";
    static final String PASSWORD = "Tr0ub4dor&3-never-echoed";
    static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";

    @Inject
    PublishedKeys keys;

    @Inject
    Pool pool;

    @Inject
    SessionStore sessions;

    @Inject
    io.latchkey.model.directory.UserDirectory directory;

    @Inject
    CodeStore codes;

    @Inject
    ReactiveRedisDataSource redis;

    String bearer;

    @BeforeEach
    void token() {
        TestTokens.publish(keys);
        bearer = TestTokens.bearer("provisioner", "scim");
    }

    static String user(String userName) {
        return """
                {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "%s",
                 "name": {"givenName": "Grace", "familyName": "Hopper"}, "password": "%s",
                 "emails": [{"value": "grace@example.com", "primary": true}]}""".formatted(userName, PASSWORD);
    }

    Response create(String body) {
        return given().header("Authorization", bearer).contentType(SCIM_JSON_UTF8).body(body).when().post("/scim/v2/Users");
    }

    @Test
    void tokenWithoutTheScimScopeIsRefusedInScimFormat() {
        given().header("Authorization", TestTokens.bearer("provisioner", "clients sessions audit"))
                .contentType(SCIM_JSON).body(user("nope-" + UUID.randomUUID()))
                .when().post("/scim/v2/Users")
                .then().statusCode(403).contentType(SCIM_JSON)
                .body("schemas[0]", equalTo("urn:ietf:params:scim:api:messages:2.0:Error"))
                .body("status", equalTo("403"));
        given().when().get("/scim/v2/Users/anyone").then().statusCode(401);
    }

    @Test
    void tokenOfAnotherIssuerIsRefused() {
        given().header("Authorization", "Bearer " + TestTokens.otherIssuer("scim"))
                .when().get("/scim/v2/Users/anyone")
                .then().statusCode(401).contentType(SCIM_JSON).body("status", equalTo("401"));
    }

    @Test
    void clientSentIdIsIgnoredAndResponsesCarryMetaAndETag() {
        String name = "grace-" + UUID.randomUUID();
        Response created = create(user(name).replace("\"userName\"", "\"id\": \"chosen-by-client\", \"userName\""));
        created.then().statusCode(201).contentType(SCIM_JSON)
                .header("ETag", equalTo("W/\"1\""))
                .body("id", not(equalTo("chosen-by-client")))
                .body("meta.resourceType", equalTo("User"))
                .body("meta.version", equalTo("W/\"1\""));
        String id = created.path("id");
        assertThat(created.header("Location")).endsWith("/scim/v2/Users/" + id);
        assertThat(UUID.fromString(id)).isNotNull();
        given().header("Authorization", bearer).header("If-None-Match", "W/\"1\"")
                .when().get("/scim/v2/Users/" + id).then().statusCode(304);
        given().header("Authorization", bearer).accept("application/json")
                .when().get("/scim/v2/Users/" + id).then().statusCode(200).body("userName", equalTo(name));
    }

    @Test
    void plainJsonBodiesAreAccepted() {
        given().header("Authorization", bearer).contentType("application/json").body(user("json-" + UUID.randomUUID()))
                .when().post("/scim/v2/Users").then().statusCode(201);
    }

    @Test
    void badJsonIsInvalidSyntax() {
        create("{\"userName\": ").then().statusCode(400).contentType(SCIM_JSON).body("scimType", equalTo("invalidSyntax"));
        create("[1, 2]").then().statusCode(400).body("scimType", equalTo("invalidSyntax"));
        create("{\"userName\": \"a\", \"userName\": \"b\"}").then().statusCode(400).body("scimType", equalTo("invalidSyntax"));
    }

    @Test
    void wrongTypesAreInvalidValue() {
        String schemas = "{\"schemas\": [\"" + USER + "\"], ";
        create(schemas + "\"userName\": 42}").then().statusCode(400).body("scimType", equalTo("invalidValue"));
        create(schemas + "\"userName\": \"x-" + UUID.randomUUID() + "\", \"active\": \"yes\"}").then().statusCode(400)
                .body("scimType", equalTo("invalidValue"));
        create(schemas + "\"userName\": \"bad name with spaces\"}").then().statusCode(400).body("scimType", equalTo("invalidValue"));
        // A body without the User schema is not a User (RFC 7644 §3.3).
        create("{\"userName\": \"no-schemas\"}").then().statusCode(400).body("scimType", equalTo("invalidSyntax"));
    }

    @Test
    void staleETagIsPreconditionFailed() {
        String id = create(user("stale-" + UUID.randomUUID())).then().statusCode(201).extract().path("id");
        String body = user("stale-renamed-" + UUID.randomUUID());
        given().header("Authorization", bearer).header("If-Match", "W/\"1\"").contentType(SCIM_JSON).body(body)
                .when().put("/scim/v2/Users/" + id).then().statusCode(200).header("ETag", equalTo("W/\"2\""));
        given().header("Authorization", bearer).header("If-Match", "W/\"1\"").contentType(SCIM_JSON).body(body)
                .when().put("/scim/v2/Users/" + id).then().statusCode(412).contentType(SCIM_JSON)
                .body("status", equalTo("412")).body("scimType", nullValue());
        given().header("Authorization", bearer).header("If-Match", "W/\"1\"")
                .when().delete("/scim/v2/Users/" + id).then().statusCode(412);
        given().header("Authorization", bearer).header("If-Match", "W/\"2\"")
                .when().delete("/scim/v2/Users/" + id).then().statusCode(204);
        given().header("Authorization", bearer).when().get("/scim/v2/Users/" + id).then().statusCode(404)
                .contentType(SCIM_JSON).body("status", equalTo("404"));
    }

    @Test
    void lookAlikeUserNamesAreOneName() {
        String suffix = Long.toString(System.nanoTime());
        create(user("mallory" + suffix)).then().statusCode(201);
        // Fullwidth letters and another case map to the same RFC 8265 canonical name.
        StringBuilder fullwidth = new StringBuilder();
        for (char c : ("mallory" + suffix).toCharArray()) {
            fullwidth.append((char) (c - 0x21 + 0xFF01));
        }
        create(user(fullwidth.toString())).then().statusCode(409).contentType(SCIM_JSON).body("scimType", equalTo("uniqueness"));
        create(user("MALLORY" + suffix)).then().statusCode(409).body("scimType", equalTo("uniqueness"));
    }

    @Test
    void concurrentCreationsOfOneUserNameMakeOneUser() throws Exception {
        String name = "race-" + UUID.randomUUID();
        int n = 32;
        ExecutorService threads = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                // No password: the race is about the name, not about queueing for the hash workers.
                String body = "{\"schemas\": [\"" + USER + "\"], \"userName\": \"" + name + "\"}";
                answers.add(threads.submit(() -> {
                    start.await();
                    return create(body);
                }));
            }
            start.countDown();
            int created = 0;
            int conflicts = 0;
            for (Future<Response> answer : answers) {
                Response response = answer.get();
                if (response.statusCode() == 201) {
                    created++;
                } else {
                    assertThat(response.statusCode()).isEqualTo(409);
                    assertThat(response.<String>path("scimType")).isEqualTo("uniqueness");
                    conflicts++;
                }
            }
            assertThat(created).isEqualTo(1);
            assertThat(conflicts).isEqualTo(n - 1);
        } finally {
            threads.shutdownNow();
        }
        long rows = pool.preparedQuery("SELECT count(*) FROM users WHERE username = $1").execute(Tuple.of(name))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
        assertThat(rows).isEqualTo(1);
    }

    @Test
    void passwordIsHashedAndNeverEchoed() {
        String name = "secret-" + UUID.randomUUID();
        Response created = create(user(name));
        created.then().statusCode(201);
        String id = created.path("id");
        assertThat(created.asString()).doesNotContain(PASSWORD).doesNotContain("password");
        String body = user(name).replace(PASSWORD, PASSWORD + "-2");
        Response replaced = given().header("Authorization", bearer).contentType(SCIM_JSON).body(body)
                .when().put("/scim/v2/Users/" + id);
        replaced.then().statusCode(200);
        assertThat(replaced.asString()).doesNotContain(PASSWORD).doesNotContain("password");
        Response read = given().header("Authorization", bearer).when().get("/scim/v2/Users/" + id);
        assertThat(read.asString()).doesNotContain(PASSWORD).doesNotContain("password");
        // Stored as an Argon2id hash, and nowhere else: not in the SCIM document, the claims or the audit trail.
        var row = pool.preparedQuery("""
                        SELECT c.secret, u.scim::text, u.claims::text,
                               (SELECT string_agg(details::text, ' ') FROM audit_events WHERE subject = u.id)
                        FROM users u JOIN credentials c ON c.user_id = u.id AND c.type = 'password' WHERE u.id = $1""")
                .execute(Tuple.of(id)).await().atMost(Duration.ofSeconds(5)).iterator().next();
        assertThat(row.getString(0)).startsWith("$argon2id$");
        assertThat(row.getString(1) + row.getString(2) + row.getString(3)).doesNotContain(PASSWORD);
    }

    @Test
    void groupMemberThatIsNotAUserIsInvalidValue() {
        given().header("Authorization", bearer).contentType(SCIM_JSON)
                .body("{\"schemas\": [\"urn:ietf:params:scim:schemas:core:2.0:Group\"], \"displayName\": \"ops\", "
                        + "\"members\": [{\"value\": \"" + UUID.randomUUID() + "\"}]}")
                .when().post("/scim/v2/Groups")
                .then().statusCode(400).contentType(SCIM_JSON).body("scimType", equalTo("invalidValue"));
    }

    @Test
    void filterInjectionIsBoundNeverExecuted() {
        String id = create(user("inject-" + UUID.randomUUID())).then().statusCode(201).extract().path("id");
        // A value that would close the SQL string if pasted in: bound as a parameter, it matches nothing.
        given().header("Authorization", bearer)
                .queryParam("filter", "userName eq \"x' OR '1'='1\"")
                .when().get("/scim/v2/Users")
                .then().statusCode(200).body("totalResults", equalTo(0));
        given().header("Authorization", bearer)
                .queryParam("filter", "userName eq \"x\"); DROP TABLE users; --")
                .when().get("/scim/v2/Users")
                .then().statusCode(400).contentType(SCIM_JSON).body("scimType", equalTo("invalidFilter"));
        given().header("Authorization", bearer)
                .queryParam("filter", "id eq \"" + id + "\" or 1 eq 1")
                .when().get("/scim/v2/Users")
                .then().statusCode(400).body("scimType", equalTo("invalidFilter"));
        given().header("Authorization", bearer)
                .queryParam("sortBy", "userName; DROP TABLE users")
                .when().get("/scim/v2/Users")
                .then().statusCode(400).body("scimType", equalTo("invalidFilter"));
        given().header("Authorization", bearer).when().get("/scim/v2/Users/" + id).then().statusCode(200);
    }

    @Test
    void pathologicallyNestedFilterIsACleanInvalidFilter() {
        String deep = "(".repeat(5000) + "userName eq \"a\"" + ")".repeat(5000);
        String wide = String.join(" or ", java.util.Collections.nCopies(500, "userName eq \"a\""));
        for (String filter : List.of(deep, wide, "emails[value eq \"a\" and " + "(".repeat(400) + "type eq \"b\"" + ")".repeat(400) + "]")) {
            // In a search body: a URL this long is refused before SCIM sees it.
            given().header("Authorization", bearer).contentType(SCIM_JSON)
                    .body("{\"schemas\": [\"urn:ietf:params:scim:api:messages:2.0:SearchRequest\"], \"filter\": "
                            + io.latchkey.admin.scim.web.ScimBodies.write(com.fasterxml.jackson.databind.node.TextNode.valueOf(filter)) + "}")
                    .when().post("/scim/v2/Users/.search")
                    .then().statusCode(400).contentType(SCIM_JSON).body("scimType", equalTo("invalidFilter"));
        }
        String nestedNot = "not (".repeat(40) + "userName eq \"a\"" + ")".repeat(40);
        given().header("Authorization", bearer).queryParam("filter", nestedNot)
                .when().get("/scim/v2/Users")
                .then().statusCode(400).body("scimType", equalTo("invalidFilter"));
    }

    @Test
    void patchOfIdOrMetaIsMutability() {
        String id = create(user("immutable-" + UUID.randomUUID())).then().statusCode(201).extract().path("id");
        for (String operation : List.of(
                "{\"op\": \"replace\", \"path\": \"id\", \"value\": \"mine\"}",
                "{\"op\": \"replace\", \"path\": \"meta.created\", \"value\": \"2000-01-01T00:00:00Z\"}",
                "{\"op\": \"replace\", \"value\": {\"id\": \"mine\"}}",
                "{\"op\": \"add\", \"path\": \"groups\", \"value\": [{\"value\": \"admins\"}]}")) {
            given().header("Authorization", bearer).contentType(SCIM_JSON)
                    .body("{\"schemas\": [\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"], \"Operations\": [" + operation + "]}")
                    .when().patch("/scim/v2/Users/" + id)
                    .then().statusCode(400).contentType(SCIM_JSON).body("scimType", equalTo("mutability"));
        }
        given().header("Authorization", bearer).when().get("/scim/v2/Users/" + id)
                .then().statusCode(200).body("id", equalTo(id)).header("ETag", equalTo("W/\"1\""));
    }

    @Test
    void deactivationEndsSessionsAndFamiliesAtOnce() {
        String name = "leaver-" + UUID.randomUUID();
        String id = create(user(name)).then().statusCode(201).extract().path("id");
        // Seeded as authorize-service seeds them at a login and a code issue: indexed under the subject.
        String sessionId = "session-" + UUID.randomUUID();
        long now = System.currentTimeMillis() / 1000;
        sessions.save(new SsoSession(sessionId, id, now, List.of("pwd"), now)).await().atMost(Duration.ofSeconds(5));
        String verifier = "v".repeat(43);
        var code = codes.issue(new CodeGrant("app", "https://app.example/cb", io.latchkey.model.pkce.Pkce.s256(verifier),
                List.of("openid"), null, id, now, sessionId, List.of("pwd"), now)).await().atMost(Duration.ofSeconds(5));
        var keys = redis.key(String.class);
        assertThat(keys.exists(RedisKeys.subjectSessions(id)).await().atMost(Duration.ofSeconds(5))).isTrue();
        assertThat(keys.exists(RedisKeys.subjectFamilies(id)).await().atMost(Duration.ofSeconds(5))).isTrue();
        assertThat(sessions.touch(sessionId).await().atMost(Duration.ofSeconds(5))).isPresent();

        given().header("Authorization", bearer).contentType(SCIM_JSON)
                .body("{\"schemas\": [\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"], "
                        + "\"Operations\": [{\"op\": \"replace\", \"value\": {\"active\": false}}]}")
                .when().patch("/scim/v2/Users/" + id)
                .then().statusCode(200).body("active", equalTo(false));

        assertThat(sessions.touch(sessionId).await().atMost(Duration.ofSeconds(5))).isEmpty();
        assertThat(keys.exists(RedisKeys.subjectSessions(id)).await().atMost(Duration.ofSeconds(5))).isFalse();
        assertThat(keys.exists(RedisKeys.subjectFamilies(id)).await().atMost(Duration.ofSeconds(5))).isFalse();
        // The code issued before the deactivation grants nothing now: its family was ended.
        var redemption = codes.redeem(code.value(), "app", "https://app.example/cb", verifier,
                CodeStore.RefreshPolicy.NONE).await().atMost(Duration.ofSeconds(5));
        assertThat(redemption.outcome()).isNotEqualTo(CodeStore.Redemption.Outcome.REDEEMED);
        var events = pool.preparedQuery("SELECT type, actor FROM audit_events WHERE subject = $1 ORDER BY id")
                .execute(Tuple.of(id)).await().atMost(Duration.ofSeconds(5));
        List<String> types = new ArrayList<>();
        events.forEach(row -> {
            types.add(row.getString(0));
            assertThat(row.getString(1)).isEqualTo("client:provisioner");
        });
        assertThat(types).containsExactly("user.created", "user.password-set", "user.updated", "user.disabled");
    }

    @Test
    void listPagingRules() {
        String tag = "page" + Long.toString(System.nanoTime(), 36);
        for (int i = 0; i < 3; i++) {
            create(user(tag + "-" + i)).then().statusCode(201);
        }
        given().header("Authorization", bearer).queryParam("filter", "userName sw \"" + tag + "\"").queryParam("count", 0)
                .when().get("/scim/v2/Users")
                .then().statusCode(200).contentType(SCIM_JSON)
                .body("schemas[0]", equalTo("urn:ietf:params:scim:api:messages:2.0:ListResponse"))
                .body("totalResults", equalTo(3)).body("itemsPerPage", equalTo(0));
        given().header("Authorization", bearer).queryParam("count", 100000)
                .when().get("/scim/v2/Users")
                .then().statusCode(200).body("itemsPerPage", org.hamcrest.Matchers.lessThanOrEqualTo(200));
        given().header("Authorization", bearer).queryParam("filter", "userName sw \"" + tag + "\"")
                .queryParam("startIndex", 3).queryParam("excludedAttributes", "emails,name")
                .when().get("/scim/v2/Users")
                .then().statusCode(200).body("startIndex", equalTo(3)).body("Resources.size()", equalTo(1))
                .body("Resources[0].emails", nullValue()).body("Resources[0].userName", equalTo(tag + "-2"));
        given().header("Authorization", bearer).queryParam("count", "many")
                .when().get("/scim/v2/Users").then().statusCode(400).body("scimType", equalTo("invalidValue"));
    }

    @Test
    void importedUserIsShownAndFoundFromItsClaims() {
        String id = "imported-" + UUID.randomUUID();
        String name = "imp" + Long.toString(System.nanoTime(), 36);
        // Written as the realm import writes users: claims only, no SCIM document.
        pool.withTransaction(tx -> directory.save(tx, List.of(new io.latchkey.model.domain.User(id, name, null, true,
                java.util.Map.of("given_name", "Imre", "email", name + "@example.com")))))
                .await().atMost(Duration.ofSeconds(5));
        given().header("Authorization", bearer).when().get("/scim/v2/Users/" + id)
                .then().statusCode(200).body("userName", equalTo(name)).body("name.givenName", equalTo("Imre"))
                .body("emails[0].value", equalTo(name + "@example.com"));
        given().header("Authorization", bearer).queryParam("filter", "emails.value eq \"" + name.toUpperCase() + "@EXAMPLE.COM\"")
                .when().get("/scim/v2/Users")
                .then().statusCode(200).body("totalResults", equalTo(1)).body("Resources[0].id", equalTo(id));
        given().header("Authorization", bearer).queryParam("filter", "name.givenName eq \"imre\" and userName eq \"" + name + "\"")
                .when().get("/scim/v2/Users")
                .then().statusCode(200).body("totalResults", equalTo(1));
    }
}
