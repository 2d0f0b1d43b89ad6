package io.latchkey.model.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Keeps every replica's directory caches in step with PostgreSQL: the schema's triggers send a notification
 * on channel {@value #CHANNEL} at each commit that changes a user, a client or a consent, and this listener
 * drops what it names, typically within milliseconds.
 *
 * <p>The listener holds one connection of its own and reconnects for ever. Whatever it may have missed while
 * disconnected is dropped from every cache when it is back, which is also when PostgreSQL can answer the
 * reloads; while PostgreSQL is down nothing is dropped, so the caches keep serving the token leg.
 */
@ApplicationScoped
public class DirectoryChanges {

    public static final String CHANNEL = "latchkey_directory";

    private static final Logger LOG = Logger.getLogger(DirectoryChanges.class);
    private static final Duration RECONNECT = Duration.ofMillis(500);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PgSubscriber subscriber;
    private final UserDirectory users;
    private final ClientDirectory clients;
    private final ConsentDirectory consents;
    private volatile boolean connectedBefore;

    public DirectoryChanges(Vertx vertx, DirectoryConnection connection, UserDirectory users, ClientDirectory clients,
            ConsentDirectory consents) {
        this.subscriber = PgSubscriber.subscriber(vertx, connection.options())
                .reconnectPolicy(attempt -> RECONNECT.toMillis());
        this.users = users;
        this.clients = clients;
        this.consents = consents;
    }

    void onStart(@Observes StartupEvent event) {
        subscriber.channel(CHANNEL)
                .handler(this::apply)
                .subscribeHandler(this::subscribed);
        subscriber.closeHandler(() -> LOG.warn("Lost the directory change listener's connection to PostgreSQL; reconnecting"));
        // In the background: a service starts, and its token leg answers from Redis, while PostgreSQL is down.
        subscriber.connect()
                .onFailure().invoke(f -> LOG.warnf("Directory change listener cannot reach PostgreSQL yet: %s", f.toString()))
                .onFailure().retry().withBackOff(RECONNECT, Duration.ofSeconds(5)).indefinitely()
                .subscribe().with(x -> { }, f -> LOG.errorf(f, "Directory change listener gave up"));
    }

    void onStop(@Observes ShutdownEvent event) {
        subscriber.close().subscribe().with(x -> { }, f -> { });
    }

    /** Whether the listener is connected now (readiness and tests). */
    public boolean connected() {
        return subscriber.actualConnection() != null && !subscriber.closed();
    }

    private void subscribed() {
        if (connectedBefore) {
            LOG.info("Directory change listener reconnected; dropping cached directory records it may have missed");
            users.changedAll();
            clients.changedAll();
            consents.changedAll();
        }
        connectedBefore = true;
    }

    void apply(String payload) {
        try {
            JsonNode change = JSON.readTree(payload);
            String kind = change.path("kind").asText();
            boolean all = change.path("all").asBoolean(false);
            String id = change.path("id").asText();
            switch (kind) {
                case "user" -> {
                    if (all) {
                        users.changedAll();
                    } else {
                        users.changed(id);
                    }
                }
                case "client" -> {
                    if (all) {
                        clients.changedAll();
                    } else {
                        clients.changed(id);
                    }
                }
                case "consent" -> {
                    if (all) {
                        consents.changedAll();
                    } else {
                        consents.changed(id, change.path("client").asText());
                    }
                }
                default -> LOG.debugf("Ignoring directory change of kind '%s'", kind);
            }
        } catch (Exception e) {
            // Unreadable: drop everything rather than keep something stale.
            LOG.warnf("Unreadable directory change notification %s: %s", payload, e.toString());
            users.changedAll();
            clients.changedAll();
            consents.changedAll();
        }
    }
}
