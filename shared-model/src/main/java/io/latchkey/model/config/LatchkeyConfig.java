package io.latchkey.model.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Every {@code latchkey.*} setting both services read. {@link LatchkeySettingsCheck} validates them at
 * start-up and stops the service with a message naming the property when one is wrong.
 */
@ConfigMapping(prefix = "latchkey")
public interface LatchkeyConfig {

    /**
     * The issuer identifier (OIDC Discovery §3): https, no query or fragment. Plain http is accepted only
     * for a loopback host, for local development.
     */
    String issuer();

    /**
     * The public base URL at which clients reach token-service (/token, /jwks, /userinfo, /revoke,
     * /introspect). Defaults to the issuer, as when one Ingress routes both services by path.
     */
    Optional<String> tokenServiceUrl();

    /** The public base URL of token-service: {@link #tokenServiceUrl()} or else the issuer. */
    default String tokenServiceBase() {
        return tokenServiceUrl().orElse(issuer());
    }

    /**
     * The {@code aud} of access tokens (RFC 9068 §3), {@code latchkey.access-token-audience}: the resource they are
     * meant for. token-service issues it, and /userinfo, /introspect and admin-service expect it.
     */
    @WithName("access-token-audience")
    Optional<String> accessTokenAudienceSetting();

    /** The configured audience, else the public base URL of token-service, whose /userinfo Latchkey serves. */
    default String accessTokenAudience() {
        return accessTokenAudienceSetting().orElse(tokenServiceBase());
    }

    Lifetimes lifetimes();

    Keys keys();

    Realm realm();

    RedisSettings redis();

    Directory directory();

    Registration registration();

    interface Lifetimes {
        /** RFC 6749 §4.1.2 recommends at most 10 minutes; codes are exchanged within seconds. */
        @WithDefault("60s")
        Duration code();

        /** How long a used code's tombstone stays, so a late replay still revokes what it issued. */
        @WithDefault("10m")
        Duration codeReplayWindow();

        /** A pending authorization request: the time a person has to log in and consent. */
        @WithDefault("10m")
        Duration request();

        @WithDefault("8h")
        Duration sessionIdle();

        @WithDefault("24h")
        Duration sessionMax();

        @WithDefault("5m")
        Duration accessToken();

        @WithDefault("5m")
        Duration idToken();

        /** Idle lifetime of a refresh token: each rotation starts it again. */
        @WithDefault("24h")
        Duration refreshTokenIdle();

        /** Absolute lifetime of a refresh family, counted from the code exchange. */
        @WithDefault("720h")
        Duration refreshTokenMax();
    }

    interface Realm {
        /**
         * A file of clients and users (Latchkey's YAML or JSON, or a Keycloak realm export), imported into the
         * directory at start-up by the service that bootstraps it.
         */
        Optional<Path> file();

        /** Import the file, then stop: {@code ./latchkey import} runs the service this way. */
        @WithDefault("false")
        boolean exitAfterImport();
    }

    interface Keys {
        /**
         * token-service only: a JWK set with private keys (a mounted Secret in production). The first key
         * of each algorithm signs; every key is published at /jwks. When absent, token-service generates one
         * key per algorithm on first start and keeps the set in Redis, so every replica signs with the same
         * keys. authorize-service never reads it: it verifies with the public keys token-service publishes.
         */
        Optional<Path> file();

        /**
         * How soon a key change reaches every pod: token-service reads the key file again (and publishes
         * its public keys to Redis) this often; authorize-service reads the published keys again when its
         * copy is older, and at once on an unknown kid.
         */
        @WithDefault("10s")
        Duration reloadInterval();

        Rotation rotation();
    }

    /**
     * token-service only, and only for the key set in Redis (no {@link Keys#file()}): the schedule on which one
     * replica at a time stages a new key of each algorithm, which then signs from a time written into it, and
     * drops keys that no longer sign. A mounted key file is rotated by hand (SigningKeySecret).
     */
    interface Rotation {
        @WithDefault("true")
        boolean enabled();

        /** How long a key signs before its successor takes over. */
        @WithDefault("720h")
        Duration signingPeriod();

        /**
         * How long a new key is published (at /jwks and to authorize-service) before it signs: at least twice
         * {@code latchkey.keys.reload-interval}, so every replica has it first, and more than the five minutes
         * resource servers may cache /jwks.
         */
        @WithDefault("1h")
        Duration publishAhead();

        /**
         * How long a key stays published after its successor started signing: at least the longest lifetime of a
         * token it signed (access and ID tokens, and any client's accessTokenLifetime) plus clock skew.
         */
        @WithDefault("24h")
        Duration retireAfter();
    }

    interface RedisSettings {
        /** The deadline of one Redis call; past it the request fails with temporarily_unavailable. */
        @WithDefault("2s")
        Duration timeout();

        /**
         * What start-up does when Redis may evict keys ({@code maxmemory-policy} other than noeviction) or
         * its policy cannot be read: {@code enforce} refuses to start, {@code warn} logs a WARN line and
         * starts. Evicting a revoked token's deny-list entry, a code's tombstone or a login throttle undoes
         * a security decision without a trace, so warn is only for a Redis whose settings cannot be read
         * and are known to be right.
         */
        @WithDefault("enforce")
        EvictionPolicyCheck evictionPolicyCheck();
    }

    enum EvictionPolicyCheck {
        ENFORCE,
        WARN
    }

    /** The PostgreSQL directory of users, credentials, clients and consents. */
    interface Directory {
        /** The deadline of one PostgreSQL call; past it a login answers 503 temporarily_unavailable. */
        @WithDefault("2s")
        Duration timeout();

        /**
         * Whether this service bootstraps the directory at start-up: applies the schema migrations, then imports
         * the realm file. Flyway holds a PostgreSQL advisory lock while it migrates and the import holds one of its
         * own, so any number of replicas may start at once. A service that does not bootstrap never waits for
         * PostgreSQL to start.
         */
        @WithDefault("true")
        boolean bootstrap();

        /**
         * How long a cached client, user or consent is served before PostgreSQL is asked again. Changes reach
         * the caches at once through PostgreSQL notifications; this bounds staleness only if a notification
         * is lost. When PostgreSQL does not answer, a cached record is served however old it is.
         */
        @WithDefault("5m")
        Duration cacheRefresh();

        /** The most records each cache keeps (clients, users and consents each). */
        @WithDefault("100000")
        int cacheSize();
    }

    /** Dynamic client registration (RFC 7591/7592), served by admin-service at /register. */
    interface Registration {
        /**
         * The public URL of admin-service's /register, listed as {@code registration_endpoint} in the discovery
         * document. Absent (the default): not listed, since admin-service is internal unless an operator exposes it.
         */
        Optional<String> endpoint();

        /**
         * Whether /register takes requests without an initial access token (RFC 7591 §3). Off by default: a
         * registration then needs an access token with the {@code clients} scope.
         */
        @WithDefault("false")
        boolean open();
    }
}
