package io.latchkey.testing;

import java.time.Duration;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/** The last resort of {@link TestPostgres}: a PostgreSQL container, where a Docker engine answers. */
final class TestcontainersPostgres {

    private TestcontainersPostgres() {
    }

    /** Starts the container and returns its {@code postgresql://} URL, password included. */
    @SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM exits
    static String start() {
        GenericContainer<?> postgres = new GenericContainer<>("postgres:15-alpine")
                .withEnv("POSTGRES_USER", TestPostgres.USER)
                .withEnv("POSTGRES_PASSWORD", "latchkey")
                .withEnv("POSTGRES_DB", TestPostgres.DATABASE)
                // The settings of a private server: no durability, room for every test's pool.
                .withCommand("postgres", "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "max_connections=200")
                .withExposedPorts(5432)
                // The image's entrypoint starts the server twice: once to initialise, once for good.
                .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*\\s", 2)
                        .withStartupTimeout(Duration.ofSeconds(120)));
        postgres.start();
        return "postgresql://" + TestPostgres.USER + ":latchkey@" + postgres.getHost() + ":" + postgres.getMappedPort(5432)
                + "/" + TestPostgres.DATABASE;
    }
}
