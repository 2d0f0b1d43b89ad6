package io.latchkey.model.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tracing is on exactly when someone configured an OTLP endpoint; an explicit sdk.disabled still wins. */
class TracingSwitchTest {

    /** What Quarkus registers for the extension's documented defaults, at the lowest ordinal. */
    private static final PropertiesConfigSource EXTENSION_DEFAULTS = new PropertiesConfigSource(Map.of(
            "quarkus.otel.exporter.otlp.traces.endpoint", "http://localhost:4317/", "quarkus.otel.sdk.disabled", "false"),
            "defaults", Integer.MIN_VALUE);

    private static boolean sdkDisabled(Map<String, String> environment) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(EXTENSION_DEFAULTS)
                .withSources(new PropertiesConfigSource(environment, "environment", 300))
                .withSources(new TracingSwitch())
                .build();
        return config.getValue("quarkus.otel.sdk.disabled", Boolean.class);
    }

    @Test
    void noEndpointThenSdkDisabledDespiteTheExtensionsDefaultEndpoint() {
        assertThat(sdkDisabled(Map.of())).isTrue();
    }

    @Test
    void blankEndpointThenSdkDisabled() {
        assertThat(sdkDisabled(Map.of("quarkus.otel.exporter.otlp.endpoint", " "))).isTrue();
    }

    @Test
    void endpointConfiguredThenSdkEnabled() {
        assertThat(sdkDisabled(Map.of("quarkus.otel.exporter.otlp.endpoint", "http://collector:4318"))).isFalse();
        assertThat(sdkDisabled(Map.of("quarkus.otel.exporter.otlp.traces.endpoint", "http://collector:4318"))).isFalse();
    }

    @Test
    void endpointConfiguredButSdkDisabledExplicitlyThenDisabled() {
        assertThat(sdkDisabled(Map.of("quarkus.otel.exporter.otlp.endpoint", "http://collector:4318",
                "quarkus.otel.sdk.disabled", "true"))).isTrue();
    }
}
