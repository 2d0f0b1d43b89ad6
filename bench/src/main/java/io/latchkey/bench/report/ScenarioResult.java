package io.latchkey.bench.report;

import io.latchkey.bench.load.Measurement;
import java.util.Map;

/** One scenario's figures against one provider, as the report and results.json give them. */
public record ScenarioResult(String scenario, long operations, double seconds, double throughput,
        double p50Millis, double p95Millis, double p99Millis, double maxMillis, Map<String, Long> errors,
        Map<String, Double> cpuSeconds, double cpuMillisPerOperation) {

    public static ScenarioResult of(String scenario, Measurement m) {
        return new ScenarioResult(scenario, m.operations(), m.seconds(), m.throughput(),
                m.percentileMillis(50), m.percentileMillis(95), m.percentileMillis(99), m.maxMillis(),
                m.errors(), m.cpuSeconds(), m.cpuMillisPerOperation());
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }
}
