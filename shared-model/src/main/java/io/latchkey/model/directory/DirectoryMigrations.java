package io.latchkey.model.directory;

import io.latchkey.model.config.LatchkeyConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
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

    public DirectoryMigrations(DirectoryConnection connection, LatchkeyConfig config) {
        this.connection = connection;
        this.config = config;
    }

    void onStart(@Observes @Priority(STARTUP_PRIORITY) StartupEvent event) {
        if (config.directory().bootstrap()) {
            migrate();
        }
    }

    /** Start-up only: blocks on JDBC. */
    public MigrateResult migrate() {
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
        return result;
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
