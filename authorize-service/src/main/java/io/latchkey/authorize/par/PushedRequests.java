package io.latchkey.authorize.par;

import io.latchkey.authorize.request.AuthorizationChecks;
import io.latchkey.authorize.request.RequestParameters;
import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.form.Parameters;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import io.latchkey.model.store.RecordCodec;
import io.latchkey.model.store.RedisCalls;
import io.latchkey.model.store.RedisKeys;
import io.latchkey.model.token.OpaqueToken;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Pushed authorization requests (RFC 9126): a request checked at /par is kept in Redis under the SHA-256 of a fresh
 * {@code request_uri} for {@code latchkey.par.lifetime}, and /authorize takes it once (GETDEL) for the client that
 * pushed it. The stored parameters are the request; the client's secret is never stored.
 */
@Startup
@ApplicationScoped
public class PushedRequests {

    /** RFC 9126 §2.2: the request_uri is this URN prefix and a random part. */
    public static final String URN_PREFIX = "urn:ietf:params:oauth:request_uri:";

    /** The prefix and 43 characters of randomness; anything much longer is nobody's request_uri. */
    private static final int MAX_REQUEST_URI = 128;

    /** Client credentials are checked at /par and never kept. */
    private static final Set<String> NOT_STORED = Set.of("client_secret");

    /** The parameters that name a pushed request at /authorize rather than being part of it (RFC 9126 §4). */
    private static final Set<String> REFERENCE = Set.of("client_id", "request_uri");

    /** What is stored: the client that pushed and its parameters, each with its one value. */
    record Stored(String clientId, Map<String, String> parameters) {
        Stored {
            Objects.requireNonNull(clientId, "clientId");
            parameters = Map.copyOf(Objects.requireNonNullElse(parameters, Map.of()));
        }
    }

    private static final RecordCodec<Stored> CODEC = new RecordCodec<>(Stored.class, 1);

    /** A request pushed: its request_uri and how many seconds it stays usable (RFC 9126 §2.2). */
    public record Pushed(String requestUri, long expiresIn) {
    }

    private final ReactiveValueCommands<String, String> values;
    private final RedisCalls calls;
    private final Duration lifetime;

    public PushedRequests(ReactiveRedisDataSource redis, RedisCalls calls, ParConfig config) {
        if (config.lifetime().toSeconds() < 1 || config.lifetime().compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalStateException("latchkey.par.lifetime is " + config.lifetime()
                    + "; a pushed request must live between 1 s and 10 minutes (RFC 9126 2.2: short-lived).");
        }
        this.values = redis.value(String.class);
        this.calls = calls;
        this.lifetime = config.lifetime();
    }

    /** Whether a request_uri is of the form this provider hands out at /par (RFC 9126 §2.2). */
    public static boolean isPushed(String requestUri) {
        return requestUri != null && requestUri.startsWith(URN_PREFIX);
    }

    /**
     * Stores a checked request of an authenticated client.
     *
     * @param params  the parameters as pushed, already checked
     * @param dpopJkt the thumbprint of the key of a DPoP proof sent with the push (RFC 9449 §10.1); null when none
     */
    public Uni<Pushed> push(ClientRegistration client, Parameters params, String dpopJkt) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (String name : params.names()) {
            if (!NOT_STORED.contains(name)) {
                params.single(name).ifPresent(value -> kept.put(name, value));
            }
        }
        // With client_secret_basic the form need not name the client; the stored request always does.
        kept.put("client_id", client.clientId());
        if (dpopJkt != null) {
            kept.put("dpop_jkt", dpopJkt);
        }
        String requestUri = URN_PREFIX + OpaqueToken.randomId(32);
        return calls.guard("PSETEX", values.psetex(key(requestUri), lifetime.toMillis(), CODEC.write(new Stored(client.clientId(), kept))))
                .replaceWith(new Pushed(requestUri, lifetime.toSeconds()));
    }

    /**
     * The request /authorize is to answer: the parameters sent, or, for a pushed request's request_uri, the pushed
     * parameters, taken so that no one can use them again (RFC 9126 §4). Until the pushed request is found nothing is
     * proven, so every failure here is a page ({@link OAuthException}): unknown, used or expired, and pushed by
     * another client are one answer, {@code invalid_request_uri}. A parameter sent beside the request_uri must have
     * its pushed value; one that has not is reported in {@link RequestParameters#conflict()} and refused by redirect
     * once the pushed redirect_uri is proven.
     */
    public Uni<RequestParameters> resolve(Parameters sent) {
        if (!sent.has("request_uri") && !sent.repeated("request_uri")) {
            return Uni.createFrom().item(RequestParameters.sent(sent));
        }
        if (sent.repeated("request_uri")) {
            return Uni.createFrom().failure(invalid(OAuthError.INVALID_REQUEST, "request_uri is repeated."));
        }
        String requestUri = sent.single("request_uri").orElseThrow();
        if (!isPushed(requestUri)) {
            // Another kind of request_uri: refused by the checks, as request_uri_not_supported.
            return Uni.createFrom().item(RequestParameters.sent(sent));
        }
        String clientId;
        try {
            // RFC 9126 §4: client_id is required beside the request_uri.
            clientId = AuthorizationChecks.requireClientId(sent);
        } catch (OAuthException e) {
            return Uni.createFrom().failure(e);
        }
        if (requestUri.length() > MAX_REQUEST_URI) {
            return Uni.createFrom().failure(unusable());
        }
        String key = key(requestUri);
        return calls.guard("GETDEL", values.getdel(key)).map(json -> {
            Stored stored = Optional.ofNullable(json).map(j -> CODEC.read(key, j)).orElseThrow(PushedRequests::unusable);
            // Taken all the same: whoever holds another client's request_uri has it from somewhere they should not.
            if (!stored.clientId().equals(clientId)) {
                throw unusable();
            }
            Parameters pushed = Parameters.of(stored.parameters());
            return new RequestParameters(pushed, true, conflict(sent, pushed).orElse(null));
        });
    }

    /** The first parameter sent to /authorize whose value is not the pushed one (an empty value counts as absent). */
    private static Optional<String> conflict(Parameters sent, Parameters pushed) {
        return sent.names().stream()
                .filter(name -> !REFERENCE.contains(name))
                .filter(name -> sent.repeated(name)
                        || sent.single(name).isPresent() && !sent.single(name).equals(pushed.single(name)))
                .findFirst();
    }

    private static String key(String requestUri) {
        return RedisKeys.pushedRequest(OpaqueToken.sha256(requestUri));
    }

    private static OAuthException unusable() {
        return invalid(OAuthError.INVALID_REQUEST_URI,
                "The request_uri is unknown, used already or expired. Go back to the application and start again.");
    }

    private static OAuthException invalid(OAuthError error, String description) {
        return new OAuthException(error, description);
    }
}
