package io.latchkey.bench.load;

import io.latchkey.bench.server.ServerMeter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * What one scenario measured, summed over its phases: latencies in microseconds, completed operations,
 * errors by kind, the time spent in measured phases, and the servers' CPU seconds over those phases only
 * (so minting codes before an exchange phase is not charged to the exchange).
 */
public final class Measurement {

    private final Histogram latencyMicros = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    private final Map<String, Long> errors = new TreeMap<>();
    private final Map<String, Double> cpuSeconds = new TreeMap<>();
    private long operations;
    private long nanos;

    synchronized void success(long latencyNanos) {
        latencyMicros.recordValue(Math.min(latencyMicros.getHighestTrackableValue(), Math.max(1, latencyNanos / 1_000)));
        operations++;
    }

    synchronized void error(String kind) {
        errors.merge(kind, 1L, Long::sum);
    }

    /** An error while preparing a scenario (signing in, minting codes): counted, never timed. */
    public synchronized void prepareError(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
        errors.merge("prepare: " + Failure.kindOf(cause), 1L, Long::sum);
    }

    /** Counts the errors of a preparing phase (minting codes) as preparation errors of this scenario. */
    public void addPrepareErrors(String prefix, Measurement preparing) {
        Map<String, Long> theirs = preparing.errors();
        synchronized (this) {
            theirs.forEach((kind, n) -> errors.merge("prepare: " + prefix + kind, n, Long::sum));
        }
    }

    synchronized void addPhase(long phaseNanos, ServerMeter.Sample before, ServerMeter.Sample after) {
        nanos += phaseNanos;
        if (before != null && after != null) {
            after.cpuSecondsSince(before).forEach((name, seconds) -> cpuSeconds.merge(name, seconds, Double::sum));
        }
    }

    /** Adds everything {@code other} measured (another round of the same scenario) to this one. */
    public void add(Measurement other) {
        Histogram latencies;
        Map<String, Long> theirErrors;
        Map<String, Double> theirCpu;
        long theirOperations;
        long theirNanos;
        synchronized (other) {
            latencies = other.latencyMicros.copy();
            theirErrors = Map.copyOf(other.errors);
            theirCpu = Map.copyOf(other.cpuSeconds);
            theirOperations = other.operations;
            theirNanos = other.nanos;
        }
        synchronized (this) {
            latencyMicros.add(latencies);
            theirErrors.forEach((kind, n) -> errors.merge(kind, n, Long::sum));
            theirCpu.forEach((name, seconds) -> cpuSeconds.merge(name, seconds, Double::sum));
            operations += theirOperations;
            nanos += theirNanos;
        }
    }

    public synchronized long operations() {
        return operations;
    }

    public synchronized long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    public synchronized Map<String, Long> errors() {
        return Map.copyOf(errors);
    }

    public synchronized Map<String, Double> cpuSeconds() {
        return Map.copyOf(cpuSeconds);
    }

    public synchronized double seconds() {
        return nanos / 1e9;
    }

    public synchronized double throughput() {
        return nanos == 0 ? 0 : operations / seconds();
    }

    /** Latency at a percentile, in milliseconds. */
    public synchronized double percentileMillis(double percentile) {
        return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }

    public synchronized double maxMillis() {
        return latencyMicros.getMaxValue() / 1000.0;
    }

    /** Server CPU milliseconds per completed operation, all measured processes together. */
    public synchronized double cpuMillisPerOperation() {
        double total = cpuSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
        return operations == 0 ? Double.NaN : total * 1000 / operations;
    }
}
