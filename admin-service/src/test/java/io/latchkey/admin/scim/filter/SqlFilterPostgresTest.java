package io.latchkey.admin.scim.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.admin.scim.ScimException;
import io.latchkey.admin.scim.schema.AttributeDefinition;
import io.latchkey.admin.scim.schema.AttributeType;
import io.latchkey.admin.scim.schema.ResolvedAttribute;
import io.latchkey.admin.scim.schema.ScimSchemas;
import io.latchkey.testing.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SqlFilter and FilterEvaluator agree: a real PostgreSQL table of SCIM users as jsonb, each filter run through both,
 * the same ids back. Injection attempts match nothing and leave no trace of their value in the SQL text.
 */
class SqlFilterPostgresTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE = "scim_filter_probe";
    private static final String ENTERPRISE = ScimSchemas.ENTERPRISE_USER;

    private static Vertx vertx;
    private static Pool pool;
    private static final List<ObjectNode> USERS = new ArrayList<>();

    /** How a storage might map the model: jsonb paths, and userName through a canonical (lower-cased) column. */
    static Optional<SqlAttribute> columns(ResolvedAttribute attribute) {
        AttributeDefinition definition = attribute.attribute();
        String container = attribute.extension() ? "t.doc->'" + attribute.schema().id() + "'" : "t.doc";
        if (attribute.canonical().equals("userName")) {
            return Optional.of(new SqlAttribute.Scalar("t.username_canonical", AttributeType.STRING, true,
                    value -> value.toLowerCase(Locale.ROOT)));
        }
        if (attribute.canonical().equals("id")) {
            return Optional.of(SqlAttribute.Scalar.of("t.id", definition));
        }
        if (definition.multiValued()) {
            if (!definition.complex()) {
                return Optional.of(new SqlAttribute.SimpleArray(container + "->'" + definition.name() + "'",
                        definition.type(), definition.caseExact()));
            }
            return attribute.subAttribute() == null
                    ? Optional.of(new SqlAttribute.ComplexArray(container + "->'" + definition.name() + "'"))
                    : Optional.empty();
        }
        if (definition.complex()) {
            if (attribute.subAttribute() == null) {
                return Optional.empty();
            }
            return Optional.of(SqlAttribute.Scalar.of(
                    cast(container + "->'" + definition.name() + "'->>'" + attribute.subAttribute().name() + "'",
                            attribute.subAttribute().type()), attribute.subAttribute()));
        }
        return Optional.of(SqlAttribute.Scalar.of(cast(container + "->>'" + definition.name() + "'", definition.type()),
                definition));
    }

    private static String cast(String text, AttributeType type) {
        return switch (type) {
            case BOOLEAN -> "(" + text + ")::boolean";
            case DATE_TIME -> "(" + text + ")::timestamptz";
            case INTEGER, DECIMAL -> "(" + text + ")::numeric";
            default -> "(" + text + ")";
        };
    }

    private static final SqlFilter SQL = new SqlFilter(ScimSchemas.USER_TYPE, SqlFilterPostgresTest::columns);
    private static final FilterEvaluator EVALUATOR = new FilterEvaluator(ScimSchemas.USER_TYPE);

    @BeforeAll
    static void table() throws Exception {
        TestPostgres postgres = TestPostgres.get();
        postgres.execute("DROP TABLE IF EXISTS " + TABLE);
        postgres.execute("CREATE TABLE " + TABLE + " (id text PRIMARY KEY, username_canonical text NOT NULL, doc jsonb NOT NULL)");
        String[] given = {"Barbara", "John", "Ann", "Zoë", "Émile", "Kim", "Lee", "Max"};
        String[] family = {"Jensen", "O'Malley", "Smith", "Lopez", "Dupont", "Park", "Chan", "Müller"};
        String[] types = {"Employee", "Intern", "Contractor", null};
        String[] domains = {"example.com", "example.org", "Example.COM", "foo.com", "50%_off.net"};
        for (int i = 0; i < 40; i++) {
            ObjectNode user = JSON.createObjectNode();
            String id = String.format("u%02d", i);
            user.put("id", id);
            ArrayNode schemas = user.putArray("schemas").add(ScimSchemas.USER);
            String userName = switch (i) {
                case 0 -> "bjensen";
                case 1 -> "BJensen2";
                case 2 -> "x' OR '1'='1";
                case 3 -> "back\\slash_user";
                case 4 -> "percent%user";
                default -> given[i % given.length].toLowerCase(Locale.ROOT) + i;
            };
            user.put("userName", userName);
            if (i % 5 != 4) {
                ObjectNode name = user.putObject("name");
                name.put("givenName", given[i % given.length]);
                name.put("familyName", family[(i / 2) % family.length]);
            }
            if (i % 3 == 0) {
                user.put("title", i % 6 == 0 ? "Engineer" : "");
            } else if (i % 7 == 0) {
                user.put("title", "Tour Guide 100%");
            }
            if (types[i % types.length] != null) {
                user.put("userType", types[i % types.length]);
            }
            if (i % 4 != 3) {
                user.put("active", i % 2 == 0);
            }
            if (i % 6 != 5) {
                ArrayNode emails = user.putArray("emails");
                emails.addObject().put("value", userName + "@" + domains[i % domains.length]).put("type", "work")
                        .put("primary", i % 2 == 0);
                if (i % 3 == 1) {
                    emails.addObject().put("value", "home" + i + "@" + domains[(i + 1) % domains.length]).put("type", "home");
                }
            }
            if (i % 8 == 2) {
                user.putArray("ims").addObject().put("value", "im" + i + "@foo.com").put("type", "xmpp");
            }
            user.putObject("meta").put("resourceType", "User")
                    .put("lastModified", String.format("2011-05-%02dT04:42:34Z", 1 + i % 28))
                    .put("created", "2010-01-23T04:56:22" + (i % 2 == 0 ? "Z" : "+02:00"));
            if (i % 2 == 1) {
                schemas.add(ENTERPRISE);
                ObjectNode enterprise = user.putObject(ENTERPRISE);
                enterprise.put("department", i % 3 == 0 ? "Tour Operations" : "R&D");
                enterprise.put("employeeNumber", Integer.toString(700 + i));
                if (i % 5 == 1) {
                    enterprise.putObject("manager").put("value", "u00").put("displayName", "Barbara Jensen");
                }
            }
            USERS.add(user);
        }
        PgConnectOptions connect = PgConnectOptions.fromUri(postgres.reactiveUrl());
        if (!postgres.password().isEmpty()) {
            connect.setPassword(postgres.password());
        }
        vertx = Vertx.vertx();
        pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(connect).using(vertx).build();
        for (ObjectNode user : USERS) {
            pool.preparedQuery("INSERT INTO " + TABLE + " (id, username_canonical, doc) VALUES ($1, $2, $3::jsonb)")
                    .execute(Tuple.of(user.get("id").textValue(), user.get("userName").textValue().toLowerCase(Locale.ROOT),
                            new JsonObject(user.toString())))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void close() throws Exception {
        if (pool != null) {
            pool.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        TestPostgres.get().execute("DROP TABLE IF EXISTS " + TABLE);
    }

    private static TreeSet<String> bySql(String filter) throws Exception {
        SqlFragment where = SQL.where(FilterParser.parse(filter), 1);
        TreeSet<String> ids = new TreeSet<>();
        for (Row row : pool.preparedQuery("SELECT id FROM " + TABLE + " t WHERE " + where.sql())
                .execute(Tuple.from(where.parameters())).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)) {
            ids.add(row.getString(0));
        }
        return ids;
    }

    private static TreeSet<String> byEvaluator(String filter) {
        var predicate = EVALUATOR.compile(FilterParser.parse(filter));
        TreeSet<String> ids = new TreeSet<>();
        for (JsonNode user : USERS) {
            if (predicate.test(user)) {
                ids.add(user.get("id").textValue());
            }
        }
        return ids;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "userName eq \"bjensen\"",
            "userName eq \"BJENSEN\"",
            "userName sw \"b\"",
            "userName co \"jensen\"",
            "userName ew \"2\"",
            "userName gt \"kim\"",
            "userName le \"bjensen2\"",
            "urn:ietf:params:scim:schemas:core:2.0:User:userName sw \"J\"",
            "name.familyName co \"O'Malley\"",
            "name.familyName eq \"smith\"",
            "name.givenName ne \"Ann\"",
            "NAME.GIVENNAME sw \"a\"",
            "title pr",
            "not (title pr)",
            "title eq \"\"",
            "title eq null",
            "title ne null",
            "title ne \"Engineer\"",
            "not (title eq \"Engineer\")",
            "title co \"%\"",
            "title co \"100%\"",
            "title ew \"%\"",
            "userName co \"_\"",
            "userName co \"\\\\\"",
            "userName co \"%\"",
            "meta.lastModified gt \"2011-05-13T04:42:34Z\"",
            "meta.lastModified ge \"2011-05-13T04:42:34Z\"",
            "meta.lastModified lt \"2011-05-13T04:42:34Z\"",
            "meta.lastModified le \"2011-05-13T04:42:34Z\"",
            "meta.lastModified eq \"2011-05-13T06:42:34+02:00\"",
            "meta.created gt \"2010-01-23T03:00:00Z\"",
            "title pr and userType eq \"Employee\"",
            "title pr or userType eq \"Intern\"",
            "schemas eq \"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\"",
            "userType eq \"Employee\" and (emails co \"example.com\" or emails.value co \"example.org\")",
            "userType ne \"Employee\" and not (emails co \"example.com\" or emails.value co \"example.org\")",
            "userType eq \"Employee\" and (emails.type eq \"work\")",
            "userType eq \"Employee\" and emails[type eq \"work\" and value co \"@example.com\"]",
            "emails[type eq \"work\" and value co \"@example.com\"] or ims[type eq \"xmpp\" and value co \"@foo.com\"]",
            "emails[type eq \"home\" and not (value ew \".org\")]",
            "emails[primary eq true]",
            "emails[not (primary eq true)]",
            "emails.primary eq false",
            "emails pr",
            "not (emails pr)",
            "emails.type pr",
            "ims pr",
            "emails[value pr and type eq \"WORK\"]",
            "active eq true",
            "active eq false",
            "active ne true",
            "not (active eq true)",
            "active pr",
            "name pr",
            "name[givenName eq \"Kim\" or familyName eq \"Park\"]",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq \"R&D\"",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"u00\"",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager pr",
            "department sw \"tour\"",
            "employeeNumber gt \"710\"",
            "id eq \"u07\" or id eq \"U08\"",
            "id gt \"u30\"",
            "externalId pr",
            "userName eq \"x' OR '1'='1\"",
            "userName eq \"y' OR '1'='1\"",
            "userName eq \"a\\\") or (1=1\"",
            "displayName eq \"'; DROP TABLE scim_filter_probe; --\"",
            "name.familyName co \"') OR true --\"",
            "not (not (not (userName pr)))",
            "(((userName sw \"a\") or (userName sw \"b\")) and not (active eq false))"})
    void sqlAndEvaluatorSelectTheSameUsers(String filter) throws Exception {
        assertThat(bySql(filter)).as(filter + " -> " + SQL.where(FilterParser.parse(filter), 1).sql())
                .isEqualTo(byEvaluator(filter));
    }

    @Test
    void theFixtureExercisesBothOutcomes() throws Exception {
        assertThat(bySql("userName eq \"bjensen\"")).containsExactly("u00");
        assertThat(bySql("title co \"%\"")).containsExactly("u07", "u14", "u28", "u35");
        assertThat(bySql("userName co \"_\"")).containsExactly("u03");
        assertThat(bySql("emails[type eq \"work\" and value co \"@example.com\"]")).isNotEmpty().hasSizeLessThan(40);
        assertThat(bySql("not (title eq \"Engineer\")")).hasSize(40 - bySql("title eq \"Engineer\"").size());
    }

    @Test
    void injectionAttemptsMatchNothingAndNeverReachTheSqlText() throws Exception {
        // The user whose name is itself an injection string matches only as data.
        assertThat(bySql("userName eq \"x' OR '1'='1\"")).containsExactly("u02");
        for (String filter : List.of("userName eq \"y' OR '1'='1\"", "userName eq \"a\\\") or (1=1\"",
                "displayName eq \"'; DROP TABLE scim_filter_probe; --\"", "name.familyName co \"') OR true --\"")) {
            SqlFragment where = SQL.where(FilterParser.parse(filter), 3);
            assertThat(where.sql()).doesNotContain("1=1", "'1'", "DROP", "OR true", "a\")").contains("$3");
            assertThat(bySql(filter)).as(filter).isEmpty();
        }
        assertThat(TestPostgres.get().queryOne("SELECT count(*) FROM " + TABLE)).isEqualTo("40");
    }

    @Test
    void parametersAreNumberedFromTheCallersOffset() {
        SqlFragment where = SQL.where(FilterParser.parse("userName eq \"BJensen\" and emails[type eq \"work\"]"), 4);
        assertThat(where.sql()).isEqualTo("((t.username_canonical COLLATE \"C\" = $4::text) AND EXISTS (SELECT 1 FROM"
                + " jsonb_array_elements(t.doc->'emails') AS e1(elem) WHERE (lower((e1.elem->>'type')) COLLATE \"C\" = lower($5::text))))");
        assertThat(where.parameters()).containsExactly("bjensen", "work");
        assertThat(where.nextParameter()).isEqualTo(6);
    }

    @Test
    void unknownAttributesAndBadValuesAreInvalidFilter() {
        for (String filter : List.of("nickname2 eq \"x\"", "emails.nothing eq \"x\"", "active co \"t\"", "active gt true",
                "active eq \"True\"", "userName eq 5", "meta.lastModified gt \"yesterday\"", "meta.lastModified co \"2011\"",
                "emails[nothing eq \"x\"]", "userName[value eq \"x\"]", "userName gt null",
                "urn:example:unknown:User:userName eq \"x\"")) {
            assertThatThrownBy(() -> SQL.where(FilterParser.parse(filter), 1)).as(filter)
                    .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.scimType()).isEqualTo("invalidFilter"));
            assertThatThrownBy(() -> EVALUATOR.compile(FilterParser.parse(filter))).as(filter)
                    .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.scimType()).isEqualTo("invalidFilter"));
        }
    }

    @Test
    void filtersAtTheLimitsRunInBothAndAgree() throws Exception {
        String deep = "not (".repeat(15) + "(userName sw \"b\")" + ")".repeat(15);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 64; i += 2) {
            ids.add(String.format("id eq \"u%02d\"", i));
            ids.add(String.format("emails[value sw \"%s\"]", "home" + i));
        }
        String wide = String.join(" or ", ids);
        for (String filter : List.of(deep, wide)) {
            assertThat(bySql(filter)).as(filter).isEqualTo(byEvaluator(filter));
        }
        assertThat(bySql(deep)).isNotEmpty();
        assertThat(bySql(wide)).hasSizeGreaterThan(20).hasSizeLessThan(40);
    }

    @Test
    void numbersAreBoundAsNumeric() throws Exception {
        AttributeDefinition length = AttributeDefinition.builder("nameLength", AttributeType.INTEGER).build();
        io.latchkey.admin.scim.schema.ResourceType counted = new io.latchkey.admin.scim.schema.ResourceType("T", "T", "/T",
                "test", new io.latchkey.admin.scim.schema.Schema("urn:example:T", "T", "test", List.of(length)), List.of());
        SqlFilter numeric = new SqlFilter(counted,
                attribute -> Optional.of(SqlAttribute.Scalar.of("length(t.username_canonical)::numeric", attribute.target())));
        SqlFragment where = numeric.where(FilterParser.parse("nameLength gt 7 and nameLength le 8.5"), 1);
        long expected = USERS.stream().map(u -> u.get("userName").textValue().length()).filter(n -> n > 7 && n <= 8).count();
        var rows = pool.preparedQuery("SELECT count(*) FROM " + TABLE + " t WHERE " + where.sql())
                .execute(Tuple.from(where.parameters())).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(rows.iterator().next().getLong(0)).isEqualTo(expected).isPositive();
    }

    @Test
    void attributesStorageCannotFilterOnAreInvalidFilter() {
        SqlFilter narrow = new SqlFilter(ScimSchemas.USER_TYPE, attribute -> Optional.empty());
        assertThatThrownBy(() -> narrow.where(FilterParser.parse("title pr"), 1))
                .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.scimType()).isEqualTo("invalidFilter"));
    }

    private static List<String> sorted(String sortBy, String sortOrder) throws Exception {
        List<String> ids = new ArrayList<>();
        for (Row row : pool.query("SELECT id FROM " + TABLE + " t ORDER BY " + SQL.orderBy(sortBy, sortOrder) + ", id")
                .execute().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)) {
            ids.add(row.getString(0));
        }
        return ids;
    }

    @Test
    void sortByOrdersCaseInsensitivelyWithUnassignedLastWhenAscending() throws Exception {
        List<String> ascending = sorted("userName", null);
        assertThat(ascending.subList(0, 3)).containsExactly("u10", "u18", "u26");
        List<String> byTitle = sorted("title", "ascending");
        assertThat(byTitle.get(byTitle.size() - 1)).isEqualTo("u38");
        List<String> byTitleDescending = sorted("title", "descending");
        assertThat(byTitleDescending.get(0)).isEqualTo("u01");
        List<String> byEmail = sorted("emails", "ascending");
        assertThat(byEmail).hasSize(40);
        assertThat(sorted("meta.lastModified", "descending").get(0)).isEqualTo("u27");
        assertThatThrownBy(() -> SQL.orderBy("nothing", null))
                .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.scimType()).isEqualTo("invalidFilter"));
        assertThatThrownBy(() -> SQL.orderBy("userName", "sideways"))
                .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.scimType()).isEqualTo("invalidValue"));
        assertThatThrownBy(() -> SQL.orderBy("userName\"; DROP TABLE x", null))
                .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.scimType()).isEqualTo("invalidFilter"));
    }
}
