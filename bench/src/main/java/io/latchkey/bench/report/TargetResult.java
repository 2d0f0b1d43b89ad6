package io.latchkey.bench.report;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything measured of one provider in a run.
 *
 * @param startupMillis from launch until ready, per server process (empty for a provider started elsewhere)
 * @param peakRssMib    peak resident memory per process over the whole run
 * @param notes         how it ran: versions, JVM options, password-hash cost
 */
public record TargetResult(String name, Map<String, Long> startupMillis, Map<String, Double> peakRssMib,
        List<ScenarioResult> scenarios, List<String> notes) {

    public Optional<ScenarioResult> scenario(String name) {
        return scenarios.stream().filter(s -> s.scenario().equals(name)).findFirst();
    }

    public double totalPeakRssMib() {
        return peakRssMib.values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
