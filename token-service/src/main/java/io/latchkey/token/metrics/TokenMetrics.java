package io.latchkey.token.metrics;

import io.latchkey.model.domain.GrantType;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.store.CodeStore.Redemption.Outcome;
import io.latchkey.token.crypto.CryptoProvider;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * token-service's counters at /q/metrics (Prometheus names in brackets). Tags are small closed sets
 * (grant types, RFC 6749 error codes, redemption outcomes, endpoint paths): never a client id, a subject
 * or anything a request chooses, and never a code or a token.
 */
@ApplicationScoped
public class TokenMetrics {

    private final MeterRegistry registry;

    public TokenMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A token response was sent ({@code latchkey_tokens_issued_total{grant_type}}). */
    public void issued(GrantType grantType) {
        registry.counter("latchkey.tokens.issued", "grant_type", grantType.value()).increment();
    }

    /** An error response was sent ({@code latchkey_oauth_errors_total{error,endpoint}}). */
    public void error(OAuthError error, String endpoint) {
        registry.counter("latchkey.oauth.errors", "error", error.code(), "endpoint", endpoint).increment();
    }

    /**
     * The outcome of one code redemption script ({@code latchkey_code_redemptions_total{outcome}}):
     * redeemed, replayed (RFC 6749 §4.1.2: the family issued from it is revoked), unknown or mismatch.
     */
    public void redemption(Outcome outcome) {
        registry.counter("latchkey.code.redemptions", "outcome", outcome.name().toLowerCase(Locale.ROOT)).increment();
    }

    /**
     * The age of the key that signs tokens of {@code alg} now ({@code latchkey_signing_key_age_seconds{alg}}), read
     * at each scrape; an alert on it finds a rotation that stopped. Registering the same algorithm again is a no-op.
     */
    public void signingKeyAge(String alg, Supplier<Number> seconds) {
        Gauge.builder("latchkey.signing.key.age", seconds)
                .description("Age of the key that currently signs tokens of this algorithm, from its creation")
                .baseUnit("seconds")
                .tag("alg", alg)
                .register(registry);
    }

    /**
     * The provider that signs, always 1 ({@code latchkey_crypto_provider_info{provider,version}}): a fleet
     * where some replicas fell back to the JDK's providers shows two series.
     */
    public void cryptoProvider(CryptoProvider.Selection selection) {
        Gauge.builder("latchkey.crypto.provider.info", () -> 1)
                .tag("provider", selection.name())
                .tag("version", selection.version())
                .register(registry);
    }
}
