package io.latchkey.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.latchkey.bench.scenario.DirectoryOutage;
import io.latchkey.bench.scenario.Scenarios;
import io.latchkey.bench.scenario.SignatureFloor;
import io.latchkey.bench.server.LatchkeyStack;
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
 * @param baseline  the provider the others are divided by (Keycloak), or null when only one ran
 * @param before    an earlier build of the subject, run side by side with it, or null
 * @param directory the directory at a large size: its import and the login on it, or null
 * @param outage    the token leg and logins while PostgreSQL was stopped, or null
 */
public record Report(Map<String, String> run, Map<String, SignatureFloor.Cost> signatureFloor,
        List<TargetResult> targets, String subject, String baseline, String before, DirectoryResult directory,
        DirectoryOutage.Result outage) {

    /** After ÷ before, server CPU per operation: issue 12's bounds for the directory's move to PostgreSQL. */
    private static final Map<String, Double> BEFORE_BOUNDS = Map.of(
            "code exchange RS256", 1.05,
            "code exchange ES256", 1.05,
            "refresh rotation", 1.05,
            "client_credentials", 1.05,
            "interactive login", 1.10);

    /** Ratios are Latchkey ÷ Keycloak; these are the targets of issue 8 for them. */
    private static final Map<String, String> TARGETS = Map.of(
            "code exchange RS256", "≥ 5× throughput, ≤ 1/5 CPU",
            "code exchange ES256", "≥ 10× throughput",
            "refresh rotation", "≥ 5×",
            "silent renewal", "≥ 5×",
            "client_credentials", "≥ 5×");

    /** The providers set beside the subject, when they ran (Comparison's names for them). */
    static final List<String> OTHER_PROVIDERS = List.of("Keycloak", "node-oidc-provider");

    /** Each DPoP scenario and the bearer scenario it is measured beside (issue 15). */
    private static final List<List<String>> DPOP_BESIDE = List.of(
            List.of(Scenarios.DPOP_CODE_EXCHANGE, Scenarios.CODE_EXCHANGE_RS256),
            List.of(Scenarios.DPOP_REFRESH, Scenarios.REFRESH_ROTATION));
    /** Issue 15's target for what a proof adds to the server's CPU per operation: one ES256 verification. */
    private static final double DPOP_EXTRA_MILLIS = 0.1;

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
        return ratio(subject, baseline, scenario, figure);
    }

    private double ratio(String over, String under, String scenario, java.util.function.ToDoubleFunction<ScenarioResult> figure) {
        return figure(over, scenario, figure) / figure(under, scenario, figure);
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
                    .append(": both services, Redis and PostgreSQL).\n\n");
            md.append("| scenario | throughput | server CPU per operation | target |\n|---|---:|---:|---|\n");
            for (String name : compared()) {
                md.append("| ").append(name).append(" | ").append(times(throughputRatio(name))).append(" | ")
                        .append(times(cpuRatio(name))).append(" | ").append(TARGETS.getOrDefault(name, "")).append(" |\n");
            }
            md.append('\n');
        }
        providers(md);
        beforeAndAfter(md);
        dpop(md);
        directory(md);
        outage(md);
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

    /** The subject and the other providers that ran (Keycloak, node-oidc-provider), in that order. */
    List<TargetResult> providers() {
        List<TargetResult> providers = new ArrayList<>();
        target(subject).ifPresent(providers::add);
        for (String other : OTHER_PROVIDERS) {
            target(other).ifPresent(providers::add);
        }
        return providers;
    }

    /**
     * Every provider's throughput and server CPU per operation by scenario, one column each, with the subject's CPU
     * divided by each other's; then each provider's start-up and peak memory.
     */
    private void providers(StringBuilder md) {
        List<TargetResult> providers = providers();
        if (providers.size() < 2) {
            return;
        }
        List<String> scenarios = new ArrayList<>();
        for (TargetResult t : providers) {
            t.scenarios().forEach(r -> {
                if (!scenarios.contains(r.scenario())) {
                    scenarios.add(r.scenario());
                }
            });
        }
        TargetResult first = providers.get(0);
        List<TargetResult> others = providers.subList(1, providers.size());
        md.append("## Providers side by side\n\n");
        md.append("Each provider started fresh and ran the same scenarios, one provider after the other. Server CPU per operation ")
                .append("counts every process of a provider; the ratio columns divide ").append(first.name())
                .append("'s by the other's (below 1 favours ").append(first.name()).append(").\n\n");
        StringBuilder head = new StringBuilder("| scenario |");
        StringBuilder rule = new StringBuilder("|---|");
        for (TargetResult t : providers) {
            head.append(' ').append(t.name()).append(" ops/s |");
            rule.append("---:|");
        }
        for (TargetResult t : providers) {
            head.append(' ').append(t.name()).append(" CPU ms/op |");
            rule.append("---:|");
        }
        for (TargetResult t : others) {
            head.append(" CPU ").append(first.name()).append(" ÷ ").append(t.name()).append(" |");
            rule.append("---:|");
        }
        md.append(head).append('\n').append(rule).append('\n');
        for (String scenario : scenarios) {
            md.append("| ").append(scenario).append(" |");
            for (TargetResult t : providers) {
                md.append(' ').append(t.scenario(scenario).map(r -> number(r.throughput(), 0)).orElse("–")).append(" |");
            }
            for (TargetResult t : providers) {
                md.append(' ').append(t.scenario(scenario).map(r -> number(r.cpuMillisPerOperation(), 3)).orElse("–")).append(" |");
            }
            for (TargetResult t : others) {
                md.append(' ').append(times(ratio(first.name(), t.name(), scenario, ScenarioResult::cpuMillisPerOperation))).append(" |");
            }
            md.append('\n');
        }
        md.append("\nThe half-peak row runs each provider at half its own peak, so its ops/s is that rate; its p99 is the figure to compare");
        StringBuilder p99 = new StringBuilder();
        for (TargetResult t : providers) {
            t.scenario(Scenarios.HALF_PEAK).ifPresent(r -> p99.append(p99.length() == 0 ? "" : ", ").append(t.name()).append(' ')
                    .append(number(r.p99Millis(), 1)).append(" ms"));
        }
        md.append(p99.length() == 0 ? ". " : " (" + p99 + "). ");
        md.append("Errors, latency percentiles and CPU by process are under Figures. Start-up is from launch until the readiness ")
                .append("probe answered, for each server process of the provider (Latchkey starts its services one after the other: ")
                .append("their sum); peak RSS is each process's VmHWM, summed over the provider's processes.\n\n");
        md.append("| provider | start-up ms | peak RSS MiB | by process |\n|---|---:|---:|---|\n");
        for (TargetResult t : providers) {
            long startup = t.startupMillis().values().stream().mapToLong(Long::longValue).sum();
            StringBuilder by = new StringBuilder();
            t.peakRssMib().forEach((process, mib) -> {
                Long ready = t.startupMillis().get(process);
                by.append(by.length() == 0 ? "" : "; ").append(process).append(' ').append(String.format(Locale.ROOT, "%,.0f MiB", mib));
                if (ready != null) {
                    by.append(String.format(Locale.ROOT, ", ready in %,d ms", ready));
                }
            });
            md.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %s |%n", t.name(),
                    t.startupMillis().isEmpty() ? "–" : String.format(Locale.ROOT, "%,d", startup), t.totalPeakRssMib(), by));
        }
        md.append('\n');
    }

    private void beforeAndAfter(StringBuilder md) {
        if (before == null || target(before).isEmpty()) {
            return;
        }
        md.append("## ").append(subject).append(" ÷ ").append(before).append("\n\n");
        md.append("Both ran at once, each scenario on one and then the other, in turn. Server CPU counts every process of each: ")
                .append("both services and Redis, and PostgreSQL (postmaster and every backend) where the directory is in it. ")
                .append("Below 1 favours ").append(subject).append(" for CPU, above 1 for throughput.\n\n");
        md.append("| scenario | server CPU per operation | bound | met | throughput | CPU ms per operation by process, after (before) |\n");
        md.append("|---|---:|---:|---|---:|---|\n");
        for (ScenarioResult r : target(subject).get().scenarios()) {
            if (target(before).flatMap(b -> b.scenario(r.scenario())).isEmpty()) {
                continue;
            }
            double cpu = ratio(subject, before, r.scenario(), ScenarioResult::cpuMillisPerOperation);
            Double bound = BEFORE_BOUNDS.get(r.scenario());
            md.append("| ").append(r.scenario()).append(" | ").append(times(cpu, 3)).append(" | ")
                    .append(bound == null ? "" : String.format(Locale.ROOT, "≤ %.2f×", bound)).append(" | ")
                    .append(bound == null || Double.isNaN(cpu) ? "" : cpu <= bound ? "yes" : "**no**").append(" | ")
                    .append(times(ratio(subject, before, r.scenario(), ScenarioResult::throughput), 3)).append(" | ")
                    .append(byProcess(r, target(before).flatMap(b -> b.scenario(r.scenario())).orElse(null))).append(" |\n");
        }
        md.append('\n');
    }

    private void dpop(StringBuilder md) {
        List<String[]> rows = new ArrayList<>();
        for (TargetResult t : targets) {
            for (List<String> pair : DPOP_BESIDE) {
                Optional<ScenarioResult> dpop = t.scenario(pair.get(0));
                Optional<ScenarioResult> bearer = t.scenario(pair.get(1));
                if (dpop.isEmpty() || bearer.isEmpty()) {
                    continue;
                }
                ScenarioResult d = dpop.get();
                ScenarioResult b = bearer.get();
                double extra = d.cpuMillisPerOperation() - b.cpuMillisPerOperation();
                // A row that measured nothing (every operation an error) shows dashes, not NaN, and no verdict.
                boolean measured = Double.isFinite(extra);
                rows.add(new String[] {t.name(), d.scenario(), b.scenario(), number(b.cpuMillisPerOperation(), 3),
                        number(d.cpuMillisPerOperation(), 3), measured ? String.format(Locale.ROOT, "%+.3f", extra) : "–",
                        !measured ? "" : extra <= DPOP_EXTRA_MILLIS ? "yes" : "**no**",
                        times(d.throughput() / b.throughput()), byProcess(d, b)});
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        md.append("## DPoP beside bearer\n\n");
        md.append("What a DPoP proof (RFC 9449) adds to an operation: one ES256 signature verified and its `jti` recorded. ")
                .append("Each virtual user has its own key; the codes are bound to it by `dpop_jkt`. A public client's DPoP-bound ")
                .append("refresh token need not rotate, so the DPoP refresh may do less than the rotation it is compared with. ")
                .append(String.format(Locale.ROOT, "Target: at most +%.1f ms of server CPU per operation.%n%n", DPOP_EXTRA_MILLIS));
        md.append("| provider | DPoP scenario | beside | bearer CPU ms/op | DPoP CPU ms/op | extra ms/op | met | throughput DPoP ÷ bearer | CPU ms per operation by process, DPoP (bearer) |\n");
        md.append("|---|---|---|---:|---:|---:|---|---:|---|\n");
        for (String[] row : rows) {
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        md.append('\n');
    }

    private void directory(StringBuilder md) {
        if (directory == null) {
            return;
        }
        md.append(String.format(Locale.ROOT, "## A directory of %,d users%n%n", directory.users()));
        md.append("Imported by authorize-service with latchkey.realm.exit-after-import (as `./latchkey import` runs it), password ")
                .append("hashes given (one Argon2id hash for all). Import: from the directory's migration to \"Realm … imported\" in its ")
                .append("log; wall: from the JVM's launch to its exit.\n\n");
        md.append("| file | -Xmx | outcome | import s | users/s | of it reading and converting s | wall s | heap after GC at most MiB | peak RSS MiB | CPU s (import JVM / PostgreSQL) |\n");
        md.append("|---|---|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (LatchkeyStack.ImportRun run : directory.imports()) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %.1f | %,.0f | %,.0f | %s |%n", run.file(), run.heap(),
                    run.exitCode() == 0 ? "imported" : "failed: " + run.failure().replace("|", "\\|"), number(run.importSeconds(), 1),
                    number(run.usersPerSecond(), 0), number(run.readSeconds(), 1), run.wallSeconds(), run.maxHeapAfterGcMib(), run.peakRssMib(),
                    run.cpuSeconds().values().stream().map(c -> String.format(Locale.ROOT, "%.1f", c)).reduce((a, b) -> a + " / " + b).orElse("")));
        }
        md.append('\n');
        if (directory.large() != null) {
            Optional<ScenarioResult> small = target(directory.small()).flatMap(t -> t.scenario(Scenarios.INTERACTIVE_LOGIN));
            Optional<ScenarioResult> large = target(directory.large()).flatMap(t -> t.scenario(Scenarios.INTERACTIVE_LOGIN));
            md.append("Interactive login, each login another user, over the whole directory; two stacks started together, ")
                    .append("the logins alternating between them:\n\n");
            md.append("| directory | logins/s | p50 ms | p99 ms | server CPU ms per login | errors | by process |\n|---|---:|---:|---:|---:|---:|---|\n");
            small.ifPresent(r -> md.append(String.format(Locale.ROOT, "| %s | %,.1f | %.1f | %.1f | %.2f | %s | %s |%n",
                    directory.small(), r.throughput(), r.p50Millis(), r.p99Millis(), r.cpuMillisPerOperation(), errors(r), byProcess(r, null))));
            large.ifPresent(r -> md.append(String.format(Locale.ROOT, "| %s | %,.1f | %.1f | %.1f | %.2f | %s | %s |%n",
                    directory.large(), r.throughput(), r.p50Millis(), r.p99Millis(), r.cpuMillisPerOperation(), errors(r), byProcess(r, null))));
            if (small.isPresent() && large.isPresent()) {
                md.append(String.format(Locale.ROOT, "%nServer CPU per login, %s ÷ %s: %s; throughput: %s.%n",
                        directory.large(), directory.small(), times(large.get().cpuMillisPerOperation() / small.get().cpuMillisPerOperation(), 3),
                        times(large.get().throughput() / small.get().throughput(), 3)));
            }
            md.append('\n');
        }
    }

    private void outage(StringBuilder md) {
        if (outage == null) {
            return;
        }
        md.append("## PostgreSQL stopped under load\n\n");
        md.append(String.format(Locale.ROOT, "%d virtual users on the token leg (code exchange, refresh rotation, client_credentials in turn) "
                + "and %d signing in (again after 0.5 s when a login fails). PostgreSQL stopped with `pg_ctl stop -m immediate`, "
                + "started again after %.1f s; it accepted connections %.1f s after the stop. Each request is counted in the window "
                + "it was sent in.%n%n", outage.tokenUsers(), outage.loginUsers(), outage.stoppedFor(), outage.downSeconds()));
        md.append("| window | s | token leg: answered by grant | token leg: errors | token p99 / max ms | logins by outcome |\n");
        md.append("|---|---:|---|---|---|---|\n");
        for (DirectoryOutage.Window w : outage.windows()) {
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %s | %s | %s / %s | %s |%n", w.name(), w.seconds(), counts(w.tokenOperations()),
                    w.tokenErrorCount() == 0 ? "0" : counts(w.tokenErrors()), number(w.tokenP99Millis(), 1), number(w.tokenMaxMillis(), 1),
                    counts(w.logins())));
        }
        md.append(String.format(Locale.ROOT, "%nToken-leg errors in all: %d.%s%n%n", outage.tokenErrorCount(),
                outage.prepareErrors().isEmpty() ? "" : " Errors while preparing (before the stop): " + counts(outage.prepareErrors()) + "."));
    }

    /** Each process's CPU milliseconds per operation, with the other's in brackets where it ran that process. */
    private static String byProcess(ScenarioResult r, ScenarioResult other) {
        StringBuilder s = new StringBuilder();
        java.util.Set<String> processes = new java.util.TreeSet<>(r.cpuSeconds().keySet());
        if (other != null) {
            processes.addAll(other.cpuSeconds().keySet());
        }
        for (String process : processes) {
            s.append(s.length() == 0 ? "" : "; ").append(process).append(' ').append(perOperation(r, process));
            if (other != null) {
                s.append(" (").append(perOperation(other, process)).append(')');
            }
        }
        return s.toString();
    }

    private static String perOperation(ScenarioResult r, String process) {
        Double seconds = r.cpuSeconds().get(process);
        return seconds == null || r.operations() == 0 ? "–" : String.format(Locale.ROOT, "%.3f", seconds * 1000 / r.operations());
    }

    private static String counts(Map<String, Long> counts) {
        if (counts.isEmpty()) {
            return "none";
        }
        StringBuilder s = new StringBuilder();
        new java.util.TreeMap<>(counts).forEach((kind, n) -> s.append(s.length() == 0 ? "" : "; ")
                .append(String.format(Locale.ROOT, "%,d", n)).append(" × ").append(kind.replace("|", "\\|")));
        return s.toString();
    }

    private static String number(double value, int decimals) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "–" : String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    private static String times(double ratio, int decimals) {
        return Double.isNaN(ratio) ? "–" : String.format(Locale.ROOT, "%." + decimals + "f×", ratio);
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
