package io.latchkey.model.directory;

import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where the directory's PostgreSQL is, read once from the settings the reactive pool reads too
 * ({@code quarkus.datasource.reactive.url}, {@code quarkus.datasource.username}/{@code password}), so that the
 * migration's JDBC connection and the change listener's connection can never point elsewhere than the pool.
 */
@ApplicationScoped
public class DirectoryConnection {

    private final PgConnectOptions options;

    public DirectoryConnection(@ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.options = options(url, username, password);
    }

    static PgConnectOptions options(String url, Optional<String> username, Optional<String> password) {
        String uri = url.startsWith("vertx-reactive:") ? url.substring("vertx-reactive:".length()) : url;
        PgConnectOptions options = PgConnectOptions.fromUri(uri);
        username.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        return options;
    }

    /** A copy: each caller may tune its own (the listener reconnects on its own). */
    public PgConnectOptions options() {
        return new PgConnectOptions(options);
    }

    /** The same server for JDBC, with the same TLS mode (the pool's, so a TLS-only server works for both). */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + hostForUrl(options.getHost()) + ":" + options.getPort() + "/" + options.getDatabase()
                + "?sslmode=" + options.getSslMode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public String user() {
        return options.getUser();
    }

    public String password() {
        return options.getPassword();
    }

    /** host:port/db for logs and errors, never the password. */
    public String describe() {
        return options.getUser() + "@" + hostForUrl(options.getHost()) + ":" + options.getPort() + "/" + options.getDatabase();
    }

    private static String hostForUrl(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
