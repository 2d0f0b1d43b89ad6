package io.latchkey.token.cors;

import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.directory.ClientDirectory;
import io.latchkey.token.TokenServiceConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * CORS for browser apps on /token, /userinfo, /jwks and /revoke (the Fetch standard's CORS protocol).
 *
 * <p>An origin is allowed only if a registered client declares it in its web origins (derived from its
 * redirect URIs at realm import, or listed). At /token, once the requesting client is known, its own
 * origins count and no other client's. The answer echoes the one origin, never {@code *}, never with
 * credentials (token-service uses no cookies), and always says {@code Vary: Origin} so caches keep
 * answers for different origins apart. Quarkus' own CORS filter stays off so the two never disagree.
 *
 * <p>The set of origins is kept in memory and read again from the registry periodically: a preflight
 * never waits for Redis, and a Redis outage does not change what browsers may call.
 */
@ApplicationScoped
public class ClientOriginPolicy {

    private static final Logger LOG = Logger.getLogger(ClientOriginPolicy.class);
    /** Where the resource puts the requesting client's own origins once it knows the client. */
    private static final String CLIENT_ORIGINS = ClientOriginPolicy.class.getName() + ".clientOrigins";
    private static final Map<String, Set<HttpMethod>> METHODS = Map.of(
            "/token", Set.of(HttpMethod.POST),
            "/userinfo", Set.of(HttpMethod.GET, HttpMethod.POST),
            "/jwks", Set.of(HttpMethod.GET),
            "/revoke", Set.of(HttpMethod.POST));
    /**
     * DPoP carries a proof (RFC 9449 §4.1), to /token and with a bound token to /userinfo; traceparent and tracestate
     * (W3C Trace Context) let an instrumented app put its calls into its own trace.
     */
    private static final Set<String> ALLOWED_HEADERS = Set.of("authorization", "content-type", "dpop", "traceparent", "tracestate");
    /**
     * Readable by the app: the challenge of a 401, the back-off of a 503, and the DPoP nonce (RFC 9449 §7.1, §8 ask
     * for both DPoP-Nonce and WWW-Authenticate to be exposed).
     */
    private static final String EXPOSED_HEADERS = "WWW-Authenticate, Retry-After, DPoP-Nonce";

    private final ClientDirectory clients;
    private final TokenServiceConfig config;
    private volatile Set<String> allowedOrigins = Set.of();

    public ClientOriginPolicy(ClientDirectory clients, TokenServiceConfig config) {
        this.clients = clients;
        this.config = config;
    }

    /** Ahead of the REST endpoints and of Quarkus' body-size limit, so that every answer gets the headers. */
    void install(@Observes Router router) {
        router.route().order(-1000).handler(this::handle);
    }

    /** After the realm import where this service bootstraps the directory; then on every change, and periodically. */
    void load(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent event, Vertx vertx) {
        try {
            refresh().await().atMost(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            LOG.warnf("Could not read the client origins for CORS yet (%s); retrying every %s", e.getMessage(),
                    config.cors().originsRefresh());
        }
        // A registered or changed client is seen at once through the directory's change notifications; the
        // periodic read covers a start before the directory was bootstrapped and a lost notification.
        clients.onChange(() -> refresh().subscribe().with(x -> { }, e -> LOG.debugf("CORS origin refresh failed: %s", e.getMessage())));
        vertx.setPeriodic(config.cors().originsRefresh().toMillis(),
                id -> refresh().subscribe().with(x -> { }, e -> LOG.debugf("CORS origin refresh failed: %s", e.getMessage())));
    }

    /** Every registered client's web origins, read from the directory; the set held here stays while PostgreSQL is down. */
    public Uni<Set<String>> refresh() {
        return clients.webOrigins().invoke(origins -> allowedOrigins = origins);
    }

    /** Called by /token once the client is known: only its own origins may read the answer. */
    public static void restrictTo(RoutingContext context, ClientRegistration client) {
        context.put(CLIENT_ORIGINS, client.webOrigins());
    }

    void handle(RoutingContext context) {
        Set<HttpMethod> methods = METHODS.get(context.normalizedPath());
        if (methods == null) {
            context.next();
            return;
        }
        String origin = context.request().getHeader("Origin");
        String requestedMethod = context.request().getHeader("Access-Control-Request-Method");
        if (context.request().method() == HttpMethod.OPTIONS && origin != null && requestedMethod != null) {
            preflight(context, origin, requestedMethod, methods);
            return;
        }
        context.addHeadersEndHandler(v -> {
            context.response().headers().add("Vary", "Origin");
            if (origin != null && allows(context, origin)) {
                context.response().headers()
                        .set("Access-Control-Allow-Origin", origin)
                        .set("Access-Control-Expose-Headers", EXPOSED_HEADERS);
            }
        });
        context.next();
    }

    private void preflight(RoutingContext context, String origin, String requestedMethod, Set<HttpMethod> methods) {
        var response = context.response().putHeader("Vary", "Origin").putHeader("Cache-Control", "no-store");
        List<String> requestedHeaders = headerList(context.request().getHeader("Access-Control-Request-Headers"));
        boolean allowed = allowedOrigins.contains(origin)
                && methods.stream().anyMatch(m -> m.name().equals(requestedMethod))
                && ALLOWED_HEADERS.containsAll(requestedHeaders);
        if (!allowed) {
            // No Access-Control-Allow-Origin: the browser refuses the request it asked about.
            response.setStatusCode(403).end();
            return;
        }
        response.putHeader("Access-Control-Allow-Origin", origin)
                .putHeader("Access-Control-Allow-Methods", methods.stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", ")))
                .putHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, DPoP, traceparent, tracestate")
                .putHeader("Access-Control-Max-Age", Long.toString(config.cors().maxAge().toSeconds()))
                .setStatusCode(204)
                .end();
    }

    private boolean allows(RoutingContext context, String origin) {
        List<String> clientOrigins = context.get(CLIENT_ORIGINS);
        return clientOrigins != null ? clientOrigins.contains(origin) : allowedOrigins.contains(origin);
    }

    private static List<String> headerList(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).toList();
    }
}
