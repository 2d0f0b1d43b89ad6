package io.latchkey.token;

import io.latchkey.token.crypto.CryptoProvider;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Settings of token-service alone; the ones both services share are {@code latchkey.*}
 * ({@link io.latchkey.model.config.LatchkeyConfig}).
 */
@ConfigMapping(prefix = "token-service")
public interface TokenServiceConfig {

    /**
     * The largest request body accepted, in bytes, announced or chunked (invalid_request beyond it, from
     * RequestSizeGuard). quarkus.http.limits.max-body-size stays unset: it would answer first, with a bare 413.
     */
    @WithDefault("16384")
    int maxFormBytes();

    /** Retry-After on 503 temporarily_unavailable. */
    @WithDefault("5")
    int retryAfterSeconds();

    /**
     * Who signs tokens: {@code auto} the Amazon Corretto Crypto Provider where its native library loads,
     * else the JDK's providers; {@code jdk} always the JDK's; {@code accp} ACCP or no start.
     */
    @WithDefault("auto")
    CryptoProvider.Mode cryptoProvider();

    Cors cors();

    interface Cors {
        /** How often the set of allowed origins is read again from the registered clients. */
        @WithDefault("30s")
        Duration originsRefresh();

        /** Access-Control-Max-Age of a successful preflight. */
        @WithDefault("10m")
        Duration maxAge();
    }
}
