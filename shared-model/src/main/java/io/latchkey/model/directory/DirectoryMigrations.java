package io.latchkey.model.directory;

import io.latchkey.model.config.LatchkeyConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.internal.resource.classpath.ClassPathResource;
import org.jboss.logging.Logger;

/**
 * Brings the directory schema up to date at start-up, before the realm import. Flyway takes a PostgreSQL
 * advisory lock for the whole migration, so two services or ten replicas starting together apply each
 * version once and the others wait, then find nothing to do.
 *
 * <p>Most starts find nothing to do, so one query over the service's own PostgreSQL client asks first:
 * when the history lists exactly the versions below, all applied, Flyway and the JDBC driver are not even
 * loaded (they were a sixth of authorize-service's start-up). What the fast path does not redo is Flyway's
 * check that applied scripts were not edited since; the test of this class keeps the scripts as applied.
 *
 * <p>The versions are listed here rather than found by scanning the class path, which a packaged Quarkus
 * application does not list reliably: adding a migration is adding its file and its name below.
 */
@ApplicationScoped
public class DirectoryMigrations {

    /** Run before the realm import, which writes into these tables. */
    public static final int STARTUP_PRIORITY = 10;

    static final String LOCATION = "io/latchkey/model/directory/migration";
    static final List<String> VERSIONS = List.of("V1__directory.sql", "V2__scim.sql", "V3__registration.sql", "V4__audit.sql",
            "V5__login_options.sql");

    private static final Logger LOG = Logger.getLogger(DirectoryMigrations.class);

    private final DirectoryConnection connection;
    private final LatchkeyConfig config;
    private final Vertx vertx;

    public DirectoryMigrations(DirectoryConnection connection, LatchkeyConfig config, Vertx vertx) {
        this.connection = connection;
        this.config = config;
        this.vertx = vertx;
    }

    void onStart(@Observes @Priority(STARTUP_PRIORITY) StartupEvent event) {
        if (config.directory().bootstrap()) {
            migrate();
        }
    }

    /** Start-up only: blocks. Returns the number of migrations applied now. */
    public int migrate() {
        if (upToDate()) {
            LOG.infof("Directory schema at %s is at version %s", connection.describe(), version(VERSIONS.get(VERSIONS.size() - 1)));
            return 0;
        }
        MigrateResult result = Flyway.configure(DirectoryMigrations.class.getClassLoader())
                .dataSource(connection.jdbcUrl(), connection.user(), connection.password())
                .resourceProvider(new ListedMigrations())
                .locations(new Location("classpath:" + LOCATION))
                // PostgreSQL starting beside the service: about 20 s of retries, inside a Kubernetes start-up probe.
                .connectRetries(10)
                .connectRetriesInterval(2)
                .load()
                .migrate();
        LOG.infof("Directory schema at %s is at version %s (%d migrations applied now)",
                connection.describe(), result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
                result.migrationsExecuted);
        return result.migrationsExecuted;
    }

    /**
     * Whether Flyway's history holds every listed version, in order, each applied successfully, and nothing
     * else. Any doubt (no history table, PostgreSQL not up yet, a failed or unknown version) answers false and
     * leaves the decision, and the retries, to Flyway.
     */
    boolean upToDate() {
        try {
            List<String> applied = PgConnection.connect(vertx, connection.options())
                    .compose(pg -> pg.query("SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL"
                            + " ORDER BY installed_rank").execute().eventually(() -> pg.close()))
                    .map(rows -> {
                        List<String> versions = new ArrayList<>();
                        rows.forEach(row -> versions.add(Boolean.TRUE.equals(row.getBoolean("success")) ? row.getString("version") : "failed"));
                        return versions;
                    })
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return applied.equals(VERSIONS.stream().map(DirectoryMigrations::version).toList());
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** "V5__login_options.sql" is version "5". */
    private static String version(String script) {
        return script.substring(1, script.indexOf("__"));
    }

    private static final class ListedMigrations implements ResourceProvider {
        private final List<LoadableResource> resources = VERSIONS.stream()
                .map(name -> (LoadableResource) new ClassPathResource(new Location("classpath:" + LOCATION),
                        LOCATION + "/" + name, DirectoryMigrations.class.getClassLoader(), StandardCharsets.UTF_8))
                .toList();

        @Override
        public LoadableResource getResource(String name) {
            return resources.stream().filter(r -> r.getRelativePath().equals(name)).findFirst().orElse(null);
        }

        @Override
        public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
            return resources.stream()
                    .filter(r -> r.getFilename().startsWith(prefix) && Arrays.stream(suffixes).anyMatch(r.getFilename()::endsWith))
                    .toList();
        }
    }
}
