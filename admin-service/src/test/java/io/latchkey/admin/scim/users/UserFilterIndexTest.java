package io.latchkey.admin.scim.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.admin.scim.filter.Filter;
import io.latchkey.admin.scim.filter.FilterParser;
import io.latchkey.admin.scim.filter.SqlFilter;
import io.latchkey.admin.scim.filter.SqlFragment;
import io.latchkey.admin.scim.schema.ScimSchemas;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The provisioning filters reach PostgreSQL as SQL its indexes answer: over a directory large enough that a
 * sequential scan is the planner's choice when no index fits, the plan of each filter the endpoint would send
 * names an index and no sequential scan of users.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class UserFilterIndexTest {

    private static final SqlFilter SQL = new SqlFilter(ScimSchemas.USER_TYPE, UserColumns.INSTANCE);
    private static final int USERS = 50_000;

    @Inject
    Pool pool;

    @BeforeEach
    void manyUsers() {
        long present = pool.query("SELECT count(*) FROM users WHERE id LIKE 'bulk-%'").execute()
                .await().atMost(Duration.ofSeconds(30)).iterator().next().getLong(0);
        if (present >= USERS) {
            return;
        }
        pool.query("""
                INSERT INTO users (id, username, username_canonical, status, claims, scim, external_id)
                SELECT 'bulk-' || i, 'bulk' || i, 'bulk' || i, CASE WHEN mod(i, 100) = 0 THEN 'disabled' ELSE 'active' END,
                       jsonb_build_object('email', 'bulk' || i || '@example.com'),
                       jsonb_build_object('emails', jsonb_build_array(jsonb_build_object('value', 'Bulk' || i || '@Example.com'))),
                       'ext-' || i
                FROM generate_series(1, %d) AS i ON CONFLICT (id) DO NOTHING""".formatted(USERS))
                .execute().await().atMost(Duration.ofSeconds(120));
        pool.query("ANALYZE users").execute().await().atMost(Duration.ofSeconds(60));
    }

    @Test
    void provisioningFiltersUseIndexes() {
        for (String filter : List.of(
                "userName eq \"bulk4242\"",
                "userName eq \"BULK4242\"",
                "externalId eq \"ext-4242\"",
                "emails.value eq \"bulk4242@example.com\"",
                "emails.value eq \"bulk4242@example.com\" and active eq true",
                "active eq false",
                "userName sw \"bulk4242\"",
                "userName co \"lk424\"")) {
            String plan = plan(filter);
            assertThat(plan).as(filter + "\n" + plan).doesNotContain("Seq Scan on users");
            assertThat(plan).as(filter + "\n" + plan).containsIgnoringCase("index");
        }
    }

    @Test
    void emailsFilterFindsWhatTheIndexHintAdmits() {
        long found = count("emails.value eq \"BULK4242@example.COM\"");
        assertThat(found).isEqualTo(1);
        assertThat(count("active eq false and userName sw \"bulk42\"")).isEqualTo(count("userName sw \"bulk42\" and active eq false"));
    }

    private long count(String filter) {
        Where where = where(filter);
        return pool.preparedQuery("SELECT count(*) FROM users u WHERE " + where.sql).execute(Tuple.from(where.parameters))
                .await().atMost(Duration.ofSeconds(30)).iterator().next().getLong(0);
    }

    private String plan(String filter) {
        Where where = where(filter);
        // The page query as UserStore sends it, in the default order.
        String sql = "EXPLAIN SELECT " + UserStore.COLUMNS + " FROM users u WHERE " + where.sql
                + " ORDER BY u.created_at, u.id LIMIT 100 OFFSET 0";
        StringBuilder plan = new StringBuilder();
        pool.preparedQuery(sql).execute(Tuple.from(where.parameters)).await().atMost(Duration.ofSeconds(30))
                .forEach(row -> plan.append(row.getString(0)).append('\n'));
        return plan.toString();
    }

    private record Where(String sql, List<Object> parameters) {
    }

    private static Where where(String text) {
        Filter filter = FilterParser.parse(text);
        List<Object> parameters = new ArrayList<>();
        List<String> conditions = new ArrayList<>(UserColumns.indexHints(filter, parameters));
        SqlFragment fragment = SQL.where(filter, parameters.size() + 1);
        conditions.add(fragment.sql());
        parameters.addAll(fragment.parameters());
        return new Where(String.join(" AND ", conditions), parameters);
    }
}
