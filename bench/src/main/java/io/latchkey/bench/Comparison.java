package io.latchkey.bench;

import io.latchkey.bench.load.Http;
import io.latchkey.bench.load.LoadRun;
import io.latchkey.bench.load.Measurement;
import io.latchkey.bench.oidc.Provider;
import io.latchkey.bench.oidc.Target;
import io.latchkey.bench.oidc.TokenEndpoint;
import io.latchkey.bench.report.Report;
import io.latchkey.bench.report.ScenarioResult;
import io.latchkey.bench.report.TargetResult;
import io.latchkey.bench.scenario.Scenario;
import io.latchkey.bench.scenario.ScenarioContext;
import io.latchkey.bench.scenario.Scenarios;
import io.latchkey.bench.scenario.SignatureFloor;
import io.latchkey.bench.server.KeycloakServer;
import io.latchkey.bench.server.LatchkeyStack;
import io.latchkey.bench.server.ServerMeter;
import io.latchkey.token.crypto.CryptoProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One run of the benchmark: the signature floor of this JVM, then Latchkey and (when its distribution is
 * given) Keycloak, one after the other on the same machine, each started fresh, warmed and measured with
 * the same scenarios, then the report.
 *
 * @param keycloakHome an unpacked keycloak-quarkus-dist, or null to measure Latchkey alone
 * @param only         names of the scenarios to run (a prefix is enough), or empty for all
 * @param profiles     where Latchkey's services write flight recordings, or null for none
 * @param latchkeyEnv  settings for Latchkey's services as environment variables (to compare one setting)
 */
public record Comparison(Path root, Path out, Duration measure, Duration warmup, int concurrency, Path keycloakHome,
        List<String> only, Path profiles, Map<String, String> latchkeyEnv) {

    public Report run() throws java.io.IOException {
        Path logs = out.resolve("logs");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("date", OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString());
        meta.put("machine", Runtime.getRuntime().availableProcessors() + " cores, shared by the servers and the load generator");
        meta.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        meta.put("load", String.format(Locale.ROOT, "%d virtual users, %d s measured per scenario after %d s of warm-up (discarded)",
                concurrency, measure.toSeconds(), warmup.toSeconds()));
        meta.put("latency", "closed loop (service time), except the half-peak row: fixed rate, counted from when each request was due");

        log("Signature floor of this JVM...");
        Map<String, SignatureFloor.Cost> floor = SignatureFloor.measure(
                measure.compareTo(Duration.ofSeconds(5)) < 0 ? Duration.ofSeconds(1) : Duration.ofSeconds(3), CryptoProvider.Mode.AUTO);

        List<TargetResult> targets = new ArrayList<>();
        log("Starting Latchkey (authorize-service, token-service, Redis)...");
        try (LatchkeyStack latchkey = LatchkeyStack.start(root, root.resolve("bench/realm/latchkey-bench-realm.yaml"), logs, latchkeyEnv, profiles)) {
            log("Latchkey ready: " + latchkey.readyMillis() + " ms");
            ServerMeter meter = new ServerMeter(latchkey.pids());
            targets.add(measure("Latchkey", latchkey.issuer(), meter, latchkey.readyMillis(), List.of(
                    "JVM options " + String.join(" ", LatchkeyStack.JVM_OPTIONS) + (latchkeyEnv.isEmpty() ? "" : "; settings " + latchkeyEnv),
                    "passwords: Argon2id, 19 MiB, 2 iterations, parallelism 1")));
        }
        if (keycloakHome != null) {
            log("Starting Keycloak from " + keycloakHome + "...");
            try (KeycloakServer keycloak = KeycloakServer.start(keycloakHome, root.resolve("bench/realm/keycloak-bench-realm.json"), logs)) {
                log("Keycloak ready: " + keycloak.readyMillis() + " ms");
                targets.add(measure("Keycloak", keycloak.issuer(), new ServerMeter(keycloak.pids()),
                        Map.of("keycloak", keycloak.readyMillis()), keycloak.notes()));
            }
        }
        Report report = new Report(meta, floor, targets, "Latchkey", keycloakHome == null ? null : "Keycloak");
        report.write(out);
        return report;
    }

    private TargetResult measure(String name, String issuer, ServerMeter meter, Map<String, Long> startup, List<String> notes) {
        Target target = Target.benchRealm(name, issuer);
        LoadRun.Settings settings = new LoadRun.Settings(concurrency, measure, 0);
        List<ScenarioResult> results = new ArrayList<>();
        try (Http http = new Http(concurrency * 2 + 8, 30_000)) {
            Provider provider = Provider.discover(http, issuer);
            TokenEndpoint tokens = new TokenEndpoint(http, provider);
            for (Scenario scenario : Scenarios.all()) {
                if (!only.isEmpty() && only.stream().noneMatch(scenario.name()::startsWith)) {
                    continue;
                }
                if (!warmup.isZero()) {
                    scenario.run(new ScenarioContext(http, provider, tokens, target, settings.withDuration(warmup), ServerMeter.none()));
                }
                Measurement m = scenario.run(new ScenarioContext(http, provider, tokens, target, settings, meter));
                results.add(print(name, ScenarioResult.of(scenario.name(), m)));
            }
            double peak = results.stream().filter(r -> r.scenario().equals(Scenarios.CODE_EXCHANGE_RS256))
                    .mapToDouble(ScenarioResult::throughput).findFirst().orElse(0);
            if (peak > 0) {
                Measurement m = Scenarios.halfPeak().run(new ScenarioContext(http, provider, tokens, target,
                        settings.withRate(peak / 2), meter));
                results.add(print(name, ScenarioResult.of(Scenarios.HALF_PEAK, m)));
            }
        }
        return new TargetResult(name, startup, meter.peakRssMib(), results, notes);
    }

    private static ScenarioResult print(String target, ScenarioResult r) {
        log(String.format(Locale.ROOT, "%-9s %-34s %,8.0f ops/s  p50 %6.2f  p99 %7.2f ms  CPU %.3f ms/op  errors %s",
                target, r.scenario(), r.throughput(), r.p50Millis(), r.p99Millis(), r.cpuMillisPerOperation(),
                r.errorCount() == 0 ? "0" : r.errors().toString()));
        return r;
    }

    static void log(String line) {
        System.out.println("[bench] " + line);
    }
}
