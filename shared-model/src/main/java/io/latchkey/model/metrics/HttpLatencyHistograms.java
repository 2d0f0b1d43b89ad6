package io.latchkey.model.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Request latency per endpoint as a Prometheus histogram, in both services:
 * {@code http_server_requests_seconds_bucket{uri="/token",le="..."}}. Buckets add up across replicas, so
 * the p99 of /token over the whole Deployment is
 * {@code histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket{uri="/token"}[5m])))};
 * percentiles computed in each pod could not be combined. The buckets span 1 ms to 10 s (a login's
 * Argon2id hash takes tens of milliseconds, a Redis deadline 2 s), which bounds the series per endpoint.
 */
@Singleton
public class HttpLatencyHistograms {

    static final String HTTP_SERVER_REQUESTS = "http.server.requests";

    @Produces
    @Singleton
    MeterFilter httpServerRequestHistograms() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!HTTP_SERVER_REQUESTS.equals(id.getName())) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .percentilesHistogram(true)
                        .minimumExpectedValue((double) Duration.ofMillis(1).toNanos())
                        .maximumExpectedValue((double) Duration.ofSeconds(10).toNanos())
                        .build()
                        .merge(config);
            }
        };
    }
}
