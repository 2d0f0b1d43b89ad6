package io.latchkey.k8s;

import io.latchkey.testing.TestPostgres;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A new, empty database on this JVM's {@link TestPostgres} for each packaged service run, as a new cluster's
 * PostgreSQL would be: the realms of other tests (an 'alice' with another id) are then never in the way of an
 * import, and what a run finds in the directory is what its own services wrote.
 */
final class TestDatabase {

    private static final AtomicInteger COUNT = new AtomicInteger();

    private final String reactiveUrl;
    private final TestPostgres handle;

    private TestDatabase(String reactiveUrl, TestPostgres handle) {
        this.reactiveUrl = reactiveUrl;
        this.handle = handle;
    }

    static TestDatabase create(String name) {
        TestPostgres postgres = TestPostgres.get();
        String database = ("k8s_" + name.replaceAll("[^A-Za-z0-9]", "_") + "_" + ProcessHandle.current().pid() + "_"
                + COUNT.incrementAndGet()).toLowerCase(Locale.ROOT);
        postgres.execute("CREATE DATABASE " + database);
        URI server = URI.create(postgres.reactiveUrl());
        String authority = server.getHost() + ":" + server.getPort() + "/" + database
                + (server.getRawQuery() == null ? "" : "?" + server.getRawQuery());
        String user = URLEncoder.encode(postgres.username(), StandardCharsets.UTF_8);
        String password = postgres.password().isEmpty() ? "" : ":" + URLEncoder.encode(postgres.password(), StandardCharsets.UTF_8);
        return new TestDatabase("postgresql://" + user + "@" + authority,
                TestPostgres.at("postgresql://" + user + password + "@" + authority));
    }

    /** QUARKUS_DATASOURCE_*, as the Deployments get them from the Secret latchkey-postgres. */
    Map<String, String> settings() {
        Map<String, String> settings = new HashMap<>();
        settings.put("QUARKUS_DATASOURCE_REACTIVE_URL", reactiveUrl);
        settings.put("QUARKUS_DATASOURCE_USERNAME", TestPostgres.get().username());
        if (!TestPostgres.get().password().isEmpty()) {
            settings.put("QUARKUS_DATASOURCE_PASSWORD", TestPostgres.get().password());
        }
        return settings;
    }

    /** The first column of the first row, as text; null for no row. */
    String queryOne(String sql) {
        return handle.queryOne(sql);
    }
}
