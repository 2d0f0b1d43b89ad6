package io.latchkey.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} application at the {@link TestPostgres} of this JVM, with Dev Services off.
 * Only the datasource's own keys: the application derives anything else (e.g. the JDBC URL of its migration)
 * from them.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        TestPostgres postgres = TestPostgres.get();
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.reactive.url", postgres.reactiveUrl());
        config.put("quarkus.datasource.username", postgres.username());
        if (!postgres.password().isEmpty()) {
            config.put("quarkus.datasource.password", postgres.password());
        }
        config.put("quarkus.datasource.devservices.enabled", "false");
        return config;
    }

    @Override
    public void stop() {
        // The server outlives one application: every test class of the JVM shares it.
    }
}
