package io.latchkey.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.latchkey.bench.scenario.SignatureFloor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The results of one run, written three ways: report.md (the tables the README shows), chart.svg (the
 * ratios at a glance) and results.json (every figure, for other tools).
 *
 * @param baseline the provider the others are divided by (Keycloak), or null when only one ran
 */
public record Report(Map<String, String> run, Map<String, SignatureFloor.Cost> signatureFloor,
        List<TargetResult> targets, String subject, String baseline) {

    /** Ratios are Latchkey ÷ Keycloak; these are the targets of issue 8 for them. */
    private static final Map<String, String> TARGETS = Map.of(
            "code exchange RS256", "≥ 5× throughput, ≤ 1/5 CPU",
            "code exchange ES256", "≥ 10× throughput",
            "refresh rotation", "≥ 5×",
            "silent renewal", "≥ 5×",
            "client_credentials", "≥ 5×");

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.md"), markdown());
        Files.writeString(dir.resolve("chart.svg"), Chart.svg(this));
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("results.json").toFile(), this);
    }

    /** A report written before, read back from its results.json, to write its tables and chart again. */
    public static Report read(Path dir) throws IOException {
        return new ObjectMapper().readValue(dir.resolve("results.json").toFile(), Report.class);
    }

    Optional<TargetResult> target(String name) {
        return targets.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** Scenario names both providers ran, in the subject's order. */
    List<String> compared() {
        List<String> names = new ArrayList<>();
        Optional<TargetResult> base = baseline == null ? Optional.empty() : target(baseline);
        target(subject).ifPresent(s -> s.scenarios().forEach(r -> {
            if (base.flatMap(b -> b.scenario(r.scenario())).isPresent()) {
                names.add(r.scenario());
            }
        }));
        return names;
    }

    double throughputRatio(String scenario) {
        return ratio(scenario, ScenarioResult::throughput);
    }

    double cpuRatio(String scenario) {
        return ratio(scenario, ScenarioResult::cpuMillisPerOperation);
    }

    /** The subject's figure divided by the baseline's, or NaN where either did not run the scenario. */
    private double ratio(String scenario, java.util.function.ToDoubleFunction<ScenarioResult> figure) {
        return figure(subject, scenario, figure) / figure(baseline, scenario, figure);
    }

    private double figure(String provider, String scenario, java.util.function.ToDoubleFunction<ScenarioResult> figure) {
        return target(provider).flatMap(t -> t.scenario(scenario)).map(figure::applyAsDouble).orElse(Double.NaN);
    }

    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Token leg benchmark\n\n");
        run.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append('\n');
        if (!compared().isEmpty()) {
            md.append("## ").append(subject).append(" ÷ ").append(baseline).append("\n\n");
            md.append("Throughput ratio above 1 and CPU ratio below 1 favour ").append(subject)
                    .append(". Server CPU counts every process of each side (").append(subject)
                    .append(": both services and Redis).\n\n");
            md.append("| scenario | throughput | server CPU per operation | target |\n|---|---:|---:|---|\n");
            for (String name : compared()) {
                md.append("| ").append(name).append(" | ").append(times(throughputRatio(name))).append(" | ")
                        .append(times(cpuRatio(name))).append(" | ").append(TARGETS.getOrDefault(name, "")).append(" |\n");
            }
            md.append('\n');
        }
        md.append("## Figures\n\n");
        md.append("| provider | scenario | ops/s | p50 ms | p95 ms | p99 ms | max ms | errors | server CPU ms/op |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (TargetResult t : targets) {
            for (ScenarioResult r : t.scenarios()) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %.2f | %.2f | %.2f | %.1f | %s | %.3f |%n",
                        t.name(), r.scenario(), r.throughput(), r.p50Millis(), r.p95Millis(), r.p99Millis(), r.maxMillis(),
                        errors(r), r.cpuMillisPerOperation()));
            }
        }
        md.append("\n## Server processes\n\n| provider | process | ready in ms | peak RSS MiB | CPU s over measured phases |\n|---|---|---:|---:|---:|\n");
        for (TargetResult t : targets) {
            for (String process : t.peakRssMib().keySet()) {
                double cpu = t.scenarios().stream().mapToDouble(r -> r.cpuSeconds().getOrDefault(process, 0.0)).sum();
                Long ready = t.startupMillis().get(process);
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.0f | %.1f |%n", t.name(), process,
                        ready == null ? "–" : String.format(Locale.ROOT, "%,d", ready), t.peakRssMib().get(process), cpu));
            }
        }
        if (!signatureFloor.isEmpty()) {
            md.append("\n## Signature floor (this JVM, one thread)\n\n");
            md.append("A code exchange signs two tokens, so its floor is two signatures of CPU.\n\n");
            md.append("| alg | provider | CPU µs/signature | signatures/s per core | floor per exchange ms |");
            Optional<TargetResult> subjectResult = target(subject);
            md.append(" ").append(subject).append(" CPU per exchange ÷ floor |\n|---|---|---:|---:|---:|---:|\n");
            for (SignatureFloor.Cost c : signatureFloor.values()) {
                double floorMillis = 2 * c.cpuMicrosPerSignature() / 1000;
                String vsFloor = subjectResult.flatMap(s -> s.scenario("code exchange " + c.algorithm()))
                        .map(r -> String.format(Locale.ROOT, "%.2f", r.cpuMillisPerOperation() / floorMillis)).orElse("–");
                md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %,.0f | %.3f | %s |%n", c.algorithm(), c.provider(),
                        c.cpuMicrosPerSignature(), c.signaturesPerSecond(), floorMillis, vsFloor));
            }
        }
        md.append("\n## How each ran\n\n");
        for (TargetResult t : targets) {
            t.notes().forEach(n -> md.append("- ").append(t.name()).append(": ").append(n).append('\n'));
        }
        return md.toString();
    }

    private static String errors(ScenarioResult r) {
        if (r.errorCount() == 0) {
            return "0";
        }
        StringBuilder s = new StringBuilder();
        r.errors().forEach((kind, n) -> s.append(s.length() == 0 ? "" : "; ").append(n).append(" × ").append(kind));
        return s.toString();
    }

    private static String times(double ratio) {
        return Double.isNaN(ratio) ? "–" : String.format(Locale.ROOT, "%.2f×", ratio);
    }
}
