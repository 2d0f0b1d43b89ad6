package io.latchkey.model.tracing;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Tracing is on exactly when an OTLP endpoint is configured ({@code QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT}, or the
 * traces-only {@code QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}). Quarkus' own default is the opposite: the SDK runs
 * and exports to localhost:4317 whether or not a collector listens there, retrying every batch. Without an endpoint
 * this source says {@code quarkus.otel.sdk.disabled=true}: no tracer on Vert.x, no span objects, no exporter thread.
 *
 * <p>Its ordinal sits below application.properties and the environment, so an explicit
 * {@code QUARKUS_OTEL_SDK_DISABLED} still wins (e.g. to trace into the void while measuring overhead).
 */
public class TracingSwitch implements ConfigSourceFactory {

    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";
    static final List<String> ENDPOINTS = List.of("quarkus.otel.exporter.otlp.traces.endpoint",
            "quarkus.otel.exporter.otlp.endpoint");
    /** Below application.properties (250) and the environment (300), above the extensions' defaults. */
    static final int ORDINAL = 200;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        boolean endpoint = ENDPOINTS.stream().anyMatch(name -> configured(context.getValue(name)));
        return List.of(new PropertiesConfigSource(Map.of(SDK_DISABLED, Boolean.toString(!endpoint)),
                "Latchkey: tracing only with an OTLP endpoint", ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    /** Set by someone, not the extension's documented default (which lives at the lowest ordinal). */
    private static boolean configured(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank()
                && value.getConfigSourceOrdinal() > Integer.MIN_VALUE;
    }
}
