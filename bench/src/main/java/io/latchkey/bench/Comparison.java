package io.latchkey.bench;

import io.latchkey.bench.load.Http;
import io.latchkey.bench.load.LoadRun;
import io.latchkey.bench.load.Measurement;
import io.latchkey.bench.oidc.Provider;
import io.latchkey.bench.oidc.Target;
import io.latchkey.bench.oidc.TokenEndpoint;
import io.latchkey.bench.report.DirectoryResult;
import io.latchkey.bench.report.Report;
import io.latchkey.bench.report.ScenarioResult;
import io.latchkey.bench.report.TargetResult;
import io.latchkey.bench.scenario.DirectoryOutage;
import io.latchkey.bench.scenario.Scenario;
import io.latchkey.bench.scenario.ScenarioContext;
import io.latchkey.bench.scenario.Scenarios;
import io.latchkey.bench.scenario.ScimProvisioning;
import io.latchkey.bench.scenario.SignatureFloor;
import io.latchkey.bench.server.KeycloakServer;
import io.latchkey.bench.server.LatchkeyStack;
import io.latchkey.bench.server.NodeOidcProvider;
import io.latchkey.bench.server.RealmGenerator;
import io.latchkey.bench.server.ServerMeter;
import io.latchkey.token.crypto.CryptoProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of the benchmark: the signature floor of this JVM, then Latchkey (beside an earlier build of
 * Latchkey, when one is given), the directory at a large size and its outage (when asked), Keycloak
 * (when its distribution is given) and node-oidc-provider (when asked and Node.js is installed), on the same
 * machine, each started fresh, warmed and measured with the same scenarios, then the report.
 *
 * @param keycloakHome an unpacked keycloak-quarkus-dist, or null to measure Latchkey alone
 * @param only         names of the scenarios to run (a prefix is enough), or empty for all
 * @param profiles     where Latchkey's services write flight recordings, or null for none
 * @param latchkeyEnv  settings for Latchkey's services as environment variables (to compare one setting)
 * @param directory    what else to measure of Latchkey's directory and against what
 * @param nodeOidcProvider the directory of node-oidc-provider's server script (bench/node-oidc-provider), or null
 *                     not to run it
 */
public record Comparison(Path root, Path out, Duration measure, Duration warmup, int concurrency, Path keycloakHome,
        List<String> only, Path profiles, Map<String, String> latchkeyEnv, Directory directory, Path nodeOidcProvider) {

    public static final String LATCHKEY = "Latchkey";
    public static final String BEFORE = "Latchkey before";
    public static final String KEYCLOAK = "Keycloak";
    public static final String NODE_OIDC_PROVIDER = "node-oidc-provider";

    /**
     * @param baseline   the root of another built checkout of Latchkey, run side by side with this one (the
     *                   same scenarios, alternating), or null
     * @param rounds     how many times each scenario alternates between the two, its figures summed
     * @param users      the size of the directory to import and sign in to, or 0 for none
     * @param importHeap -Xmx of the import's JVM
     * @param outage     how long PostgreSQL stays stopped under load, or zero for no outage
     */
    public record Directory(Path baseline, int rounds, long users, String importHeap, Duration outage) {

        public static final Directory NONE = new Directory(null, 1, 0, "4g", Duration.ZERO);
    }

    public Comparison(Path root, Path out, Duration measure, Duration warmup, int concurrency, Path keycloakHome,
            List<String> only, Path profiles, Map<String, String> latchkeyEnv) {
        this(root, out, measure, warmup, concurrency, keycloakHome, only, profiles, latchkeyEnv, Directory.NONE);
    }

    public Comparison(Path root, Path out, Duration measure, Duration warmup, int concurrency, Path keycloakHome,
            List<String> only, Path profiles, Map<String, String> latchkeyEnv, Directory directory) {
        this(root, out, measure, warmup, concurrency, keycloakHome, only, profiles, latchkeyEnv, directory, null);
    }

    /** One provider as the scenarios see it. */
    private record Side(String name, Http http, Provider provider, TokenEndpoint tokens, Target target, ServerMeter meter) {

        static Side of(String name, String issuer, ServerMeter meter, int concurrency, int users) {
            Http http = new Http(concurrency * 2 + 8, 30_000);
            try {
                Provider provider = Provider.discover(http, issuer);
                return new Side(name, http, provider, new TokenEndpoint(http, provider), Target.benchRealm(name, issuer, users), meter);
            } catch (RuntimeException e) {
                http.close();
                throw e;
            }
        }

        ScenarioContext context(LoadRun.Settings settings, ServerMeter meter) {
            return new ScenarioContext(http, provider, tokens, target, settings, meter);
        }
    }

    public Report run() throws IOException {
        Path logs = out.resolve("logs");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("date", OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString());
        meta.put("machine", Runtime.getRuntime().availableProcessors() + " cores, shared by the servers and the load generator");
        meta.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        meta.put("load", String.format(Locale.ROOT, "%d virtual users, %d s measured per scenario after %d s of warm-up (discarded)",
                concurrency, measure.toSeconds(), warmup.toSeconds()));
        meta.put("latency", "closed loop (service time), except the half-peak row: fixed rate, counted from when each request was due");
        meta.put("latchkey", describe(root));
        if (directory.baseline() != null) {
            meta.put("latchkey before", describe(directory.baseline()) + "; each scenario alternates between the two "
                    + directory.rounds() + " time(s), its figures summed");
        }

        log("Signature floor of this JVM...");
        Map<String, SignatureFloor.Cost> floor = SignatureFloor.measure(
                measure.compareTo(Duration.ofSeconds(5)) < 0 ? Duration.ofSeconds(1) : Duration.ofSeconds(3), CryptoProvider.Mode.AUTO);

        List<TargetResult> targets = new ArrayList<>();
        DirectoryOutage.Result outage = null;
        Path realm = realm();
        log("Starting Latchkey (authorize-service, token-service, Redis, PostgreSQL)...");
        try (LatchkeyStack latchkey = LatchkeyStack.start(root, realm, logs, latchkeyEnv, profiles)) {
            log("Latchkey ready: " + latchkey.readyMillis() + " ms");
            List<String> notes = latchkeyNotes(latchkey);
            if (directory.baseline() == null) {
                targets.add(measure(LATCHKEY, latchkey.issuer(), latchkey.meter(), Target.BENCH_USERS, latchkey.readyMillis(), notes));
            } else {
                log("Starting Latchkey before, from " + directory.baseline() + "...");
                try (LatchkeyStack before = LatchkeyStack.start(directory.baseline(), realm, logs.resolve("before"), latchkeyEnv, null)) {
                    log("Latchkey before ready: " + before.readyMillis() + " ms");
                    List<String> beforeNotes = new ArrayList<>(latchkeyNotes(before));
                    beforeNotes.add(0, "the services of " + directory.baseline());
                    targets.addAll(sideBySide(latchkey, notes, before, beforeNotes));
                }
            }
            if (!directory.outage().isZero()) {
                outage = outage(latchkey);
            }
        }
        DirectoryResult large = null;
        if (directory.users() > 0) {
            large = largeDirectory(logs.resolve("directory"), targets);
        }
        if (keycloakHome != null) {
            log("Starting Keycloak from " + keycloakHome + "...");
            try (KeycloakServer keycloak = KeycloakServer.start(keycloakHome, root.resolve("bench/realm/keycloak-bench-realm.json"), logs)) {
                log("Keycloak ready: " + keycloak.readyMillis() + " ms");
                targets.add(measure(KEYCLOAK, keycloak.issuer(), new ServerMeter(keycloak.pids()), Target.BENCH_USERS,
                        Map.of("keycloak", keycloak.readyMillis()), keycloak.notes()));
            }
        }
        if (nodeOidcProvider != null) {
            String unavailable = NodeOidcProvider.unavailable(nodeOidcProvider);
            if (unavailable == null) {
                // A failed install or start (no registry, say) costs this provider's rows, not the others' report.
                try {
                    targets.add(nodeOidcProvider(logs));
                } catch (IllegalStateException e) {
                    log("node-oidc-provider failed: " + e.getMessage());
                    meta.put(NODE_OIDC_PROVIDER, "failed to start: " + e.getMessage().lines().findFirst().orElse(""));
                }
            } else {
                log("node-oidc-provider skipped: " + unavailable);
                meta.put(NODE_OIDC_PROVIDER, "skipped: " + unavailable);
            }
        }
        Report report = new Report(meta, floor, targets, LATCHKEY, keycloakHome == null ? null : KEYCLOAK,
                directory.baseline() == null ? null : BEFORE, large, outage);
        report.write(out);
        return report;
    }

    private static List<String> latchkeyNotes(LatchkeyStack stack) {
        List<String> notes = new ArrayList<>();
        Map<String, String> jvm = LatchkeyStack.jvmSettings(stack.root());
        notes.add(jvm.isEmpty() ? "JVM settings: the JVM's defaults (a checkout from before k8s/base/jvm.env), as its ./latchkey up started them"
                : "JVM settings of k8s/base/jvm.env, as ./latchkey up and the Kubernetes base use them: " + jvm.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining("; ")));
        notes.add("passwords: Argon2id, 19 MiB, 2 iterations, parallelism 1");
        notes.add(stack.postgres() == null ? "directory in Redis (no PostgreSQL)"
                : "directory in a private PostgreSQL (its default settings), counted with its postmaster and every backend");
        return notes;
    }

    /** Every scenario on one provider, then the half-peak row. */
    /** node-oidc-provider started fresh (its packages installed first if need be), measured with the same scenarios. */
    TargetResult nodeOidcProvider(Path logs) {
        log("Starting node-oidc-provider from " + nodeOidcProvider + " (npm ci first if its packages are missing)...");
        try (NodeOidcProvider node = NodeOidcProvider.start(nodeOidcProvider, root.resolve("bench/realm/keycloak-bench-realm.json"), logs)) {
            log("node-oidc-provider ready: " + node.readyMillis() + " ms");
            return measure(node);
        }
    }

    /** The scenarios against a running node-oidc-provider. */
    TargetResult measure(NodeOidcProvider node) {
        return measure(NODE_OIDC_PROVIDER, node.issuer(), new ServerMeter(node.pids()), Target.BENCH_USERS,
                Map.of(NodeOidcProvider.PROCESS, node.readyMillis()), node.notes());
    }

    private TargetResult measure(String name, String issuer, ServerMeter meter, int users, Map<String, Long> startup, List<String> notes) {
        List<ScenarioResult> results = new ArrayList<>();
        Side side = Side.of(name, issuer, meter, concurrency, users);
        try {
            for (Scenario scenario : scenarios()) {
                results.add(print(name, ScenarioResult.of(scenario.name(), once(side, scenario, true))));
            }
            halfPeak(side, results);
        } finally {
            side.http().close();
        }
        notes = new ArrayList<>(notes);
        if (!latchkeyEnv.isEmpty() && name.startsWith(LATCHKEY)) {
            notes.add("settings " + latchkeyEnv);
        }
        return new TargetResult(name, startup, meter.peakRssMib(), results, notes);
    }

    /**
     * This build and the one before, both running: each scenario runs on one, then the other, {@code rounds}
     * times (the order turning each round), so that what else the machine does in those minutes falls on
     * both alike. The warm-up runs in the first round only; the rounds' figures are summed.
     */
    private Path realm() {
        return root.resolve("bench/realm/latchkey-bench-realm.yaml");
    }

    private List<TargetResult> sideBySide(LatchkeyStack after, List<String> afterNotes, LatchkeyStack before, List<String> beforeNotes) {
        Side a = Side.of(LATCHKEY, after.issuer(), after.meter(), concurrency, Target.BENCH_USERS);
        Side b = Side.of(BEFORE, before.issuer(), before.meter(), concurrency, Target.BENCH_USERS);
        List<ScenarioResult> aResults = new ArrayList<>();
        List<ScenarioResult> bResults = new ArrayList<>();
        try {
            for (Scenario scenario : scenarios()) {
                Measurement aSum = new Measurement();
                Measurement bSum = new Measurement();
                for (int round = 0; round < directory.rounds(); round++) {
                    boolean afterFirst = round % 2 == 0;
                    Side first = afterFirst ? a : b;
                    Side second = afterFirst ? b : a;
                    Measurement m1 = once(first, scenario, round == 0);
                    Measurement m2 = once(second, scenario, round == 0);
                    (afterFirst ? aSum : bSum).add(m1);
                    (afterFirst ? bSum : aSum).add(m2);
                }
                aResults.add(print(LATCHKEY, ScenarioResult.of(scenario.name(), aSum)));
                bResults.add(print(BEFORE, ScenarioResult.of(scenario.name(), bSum)));
                ScenarioResult ra = aResults.get(aResults.size() - 1);
                ScenarioResult rb = bResults.get(bResults.size() - 1);
                log(String.format(Locale.ROOT, "%-34s after/before: CPU per operation %.3f×, throughput %.3f×", scenario.name(),
                        ra.cpuMillisPerOperation() / rb.cpuMillisPerOperation(), ra.throughput() / rb.throughput()));
            }
            halfPeak(a, aResults);
            halfPeak(b, bResults);
        } finally {
            a.http().close();
            b.http().close();
        }
        return List.of(new TargetResult(LATCHKEY, after.readyMillis(), after.meter().peakRssMib(), aResults, afterNotes),
                new TargetResult(BEFORE, before.readyMillis(), before.meter().peakRssMib(), bResults, beforeNotes));
    }

    private List<Scenario> scenarios() {
        return Scenarios.all().stream().filter(s -> only.isEmpty() || only.stream().anyMatch(s.name()::startsWith)).toList();
    }

    private Measurement once(Side side, Scenario scenario, boolean warm) {
        LoadRun.Settings settings = new LoadRun.Settings(concurrency, measure, 0);
        if (warm && !warmup.isZero()) {
            scenario.run(side.context(settings.withDuration(warmup), ServerMeter.none()));
        }
        return scenario.run(side.context(settings, side.meter()));
    }

    private void halfPeak(Side side, List<ScenarioResult> results) {
        double peak = results.stream().filter(r -> r.scenario().equals(Scenarios.CODE_EXCHANGE_RS256))
                .mapToDouble(ScenarioResult::throughput).findFirst().orElse(0);
        if (peak > 0) {
            Measurement m = Scenarios.halfPeak().run(side.context(new LoadRun.Settings(concurrency, measure, peak / 2), side.meter()));
            results.add(print(side.name(), ScenarioResult.of(Scenarios.HALF_PEAK, m)));
        }
    }

    /** The token leg and logins under load while PostgreSQL is stopped and started again (the stack's last use). */
    private DirectoryOutage.Result outage(LatchkeyStack latchkey) {
        if (latchkey.postgres() == null) {
            log("No outage: this build keeps no directory in PostgreSQL");
            return null;
        }
        Duration before = Duration.ofSeconds(5);
        Duration after = Duration.ofSeconds(10);
        log(String.format(Locale.ROOT, "PostgreSQL outage: %d s of load, PostgreSQL stopped (immediate) for %d s, %d s after it is back...",
                before.toSeconds(), directory.outage().toSeconds(), after.toSeconds()));
        Side side = Side.of(LATCHKEY, latchkey.issuer(), latchkey.meter(), concurrency, Target.BENCH_USERS);
        try {
            DirectoryOutage.Result result = new DirectoryOutage(before, directory.outage(), after).run(
                    side.context(new LoadRun.Settings(concurrency, measure, 0), ServerMeter.none()),
                    new DirectoryOutage.Store() {
                        @Override
                        public void stop() {
                            latchkey.postgres().stopImmediately();
                        }

                        @Override
                        public void start() {
                            latchkey.postgres().start();
                        }
                    });
            for (DirectoryOutage.Window w : result.windows()) {
                log(String.format(Locale.ROOT, "outage, %-6s %5.1f s: token leg %s, errors %s; logins %s", w.name(), w.seconds(),
                        w.tokenOperations(), w.tokenErrors(), w.logins()));
            }
            return result;
        } finally {
            side.http().close();
        }
    }

    /**
     * A directory of {@code users} users: generated, imported through authorize-service's
     * exit-after-import (as a Latchkey realm file; if that fails, as a Keycloak export, the other form
     * {@code ./latchkey import} takes), then the services started on it, and beside them a fresh stack with
     * the benchmark realm alone; the interactive login alternates between the two ({@code rounds} times).
     */
    private DirectoryResult largeDirectory(Path logs, List<TargetResult> targets) throws IOException {
        if (!LatchkeyStack.usesPostgres(root)) {
            log("No directory import: this build keeps no directory in PostgreSQL");
            return null;
        }
        long users = directory.users();
        String name = String.format(Locale.ROOT, "Latchkey, %,d users", users);
        List<LatchkeyStack.ImportRun> imports = new ArrayList<>();
        Path tmp = Files.createTempDirectory("latchkey-bench-directory");
        try (LatchkeyStack stack = LatchkeyStack.stores(root, logs)) {
            Path file = tmp.resolve("realm-" + users + ".json");
            log(String.format(Locale.ROOT, "Writing a realm file of %,d users...", users));
            RealmGenerator.latchkeyRealm(file, users);
            imports.add(imported(stack.importRealm(file, users, directory.importHeap(), "import-realm-file")));
            Files.delete(file);
            if (imports.get(0).exitCode() != 0) {
                file = tmp.resolve("keycloak-export-" + users + ".json");
                log(String.format(Locale.ROOT, "Writing the same %,d users as a Keycloak export...", users));
                RealmGenerator.keycloakExport(file, users);
                imports.add(imported(stack.importRealm(file, users, directory.importHeap(), "import-keycloak-export")));
                Files.delete(file);
            }
            if (imports.get(imports.size() - 1).exitCode() != 0) {
                return new DirectoryResult(users, imports, null, null);
            }
            log("Starting the services on it...");
            stack.startServices(realm(), latchkeyEnv, null);
            log(name + " ready: " + stack.readyMillis() + " ms");
            // The benchmark realm alone on a stack as fresh, so that both have run the same load when they are compared.
            String smallName = String.format(Locale.ROOT, "Latchkey, %d users", Target.BENCH_USERS);
            log("Starting " + smallName + " beside it...");
            try (LatchkeyStack small = LatchkeyStack.start(root, realm(), logs.resolve("small"), latchkeyEnv, null)) {
                log(smallName + " ready: " + small.readyMillis() + " ms");
                Side large = Side.of(name, stack.issuer(), stack.meter(), concurrency, (int) Math.min(users, Integer.MAX_VALUE));
                Side few = Side.of(smallName, small.issuer(), small.meter(), concurrency, Target.BENCH_USERS);
                Scenario login = Scenarios.all().stream().filter(sc -> sc.name().equals(Scenarios.INTERACTIVE_LOGIN)).findFirst().orElseThrow();
                Measurement largeSum = new Measurement();
                Measurement fewSum = new Measurement();
                try {
                    for (int round = 0; round < directory.rounds(); round++) {
                        boolean largeFirst = round % 2 == 0;
                        Measurement m1 = once(largeFirst ? large : few, login, round == 0);
                        Measurement m2 = once(largeFirst ? few : large, login, round == 0);
                        (largeFirst ? largeSum : fewSum).add(m1);
                        (largeFirst ? fewSum : largeSum).add(m2);
                    }
                } finally {
                    large.http().close();
                    few.http().close();
                }
                ScenarioResult rl = print(name, ScenarioResult.of(login.name(), largeSum));
                ScenarioResult rf = print(smallName, ScenarioResult.of(login.name(), fewSum));
                List<ScenarioResult> largeResults = new ArrayList<>(List.of(rl));
                largeResults.addAll(scim(name, stack, users));
                log(String.format(Locale.ROOT, "interactive login, %,d ÷ %d users: CPU per login %.3f×", users, Target.BENCH_USERS,
                        rl.cpuMillisPerOperation() / rf.cpuMillisPerOperation()));
                targets.add(new TargetResult(smallName, small.readyMillis(), small.meter().peakRssMib(), List.of(rf),
                        List.of("the benchmark realm alone, started beside the large directory; logins alternate between the two")));
                targets.add(new TargetResult(name, stack.readyMillis(), stack.meter().peakRssMib(), largeResults,
                        List.of(String.format(Locale.ROOT, "%,d users imported before the start; each login signs in another of them", users))));
            }
            return new DirectoryResult(users, imports, smallName, name);
        } finally {
            try (var files = Files.walk(tmp)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /**
     * SCIM on the large directory (ScimProvisioning): admin-service started beside the services with the settings
     * {@code ./latchkey up} gives it, a token of the realm's bench-admin client, then the lookups and the creations.
     */
    private List<ScenarioResult> scim(String name, LatchkeyStack stack, long users) {
        log("Starting admin-service on it for SCIM...");
        String adminUrl = stack.startAdmin(latchkeyEnv);
        Http http = new Http(concurrency * 2 + 8, 30_000);
        try {
            Provider provider = Provider.discover(http, stack.issuer());
            // bench-admin has bench-backend's secret (bench/realm/latchkey-bench-realm.yaml).
            String token = ScenarioContext.await(new TokenEndpoint(http, provider).clientCredentials("bench-admin", "bench-backend-secret"))
                    .accessToken();
            ScimProvisioning scim = new ScimProvisioning(http, adminUrl, token, users);
            LoadRun.Settings settings = new LoadRun.Settings(concurrency, measure, 0);
            List<ScenarioResult> results = new ArrayList<>();
            if (!warmup.isZero()) {
                scim.lookup(settings.withDuration(warmup), ServerMeter.none());
            }
            results.add(print(name, ScenarioResult.of(ScimProvisioning.LOOKUP, scim.lookup(settings, stack.meter()))));
            if (users >= 100) {
                results.add(print(name, ScenarioResult.of(ScimProvisioning.PREFIX, scim.prefix(settings, stack.meter()))));
            }
            results.add(print(name, ScenarioResult.of(ScimProvisioning.CREATE, scim.create(settings, stack.meter()))));
            return results;
        } finally {
            http.close();
        }
    }

    private static LatchkeyStack.ImportRun imported(LatchkeyStack.ImportRun run) {
        log(String.format(Locale.ROOT, "import of %s (-Xmx%s): %s in %.1f s (%,.0f users/s), %.1f s wall, heap after GC at most %,.0f MiB, peak RSS %,.0f MiB",
                run.file(), run.heap(), run.exitCode() == 0 ? "imported" : "FAILED (" + run.failure() + ")", run.importSeconds(),
                run.usersPerSecond(), run.wallSeconds(), run.maxHeapAfterGcMib(), run.peakRssMib()));
        return run;
    }

    /** The commit of a checkout, and whether its working tree differs from it. */
    private static String describe(Path checkout) {
        try {
            Process git = new ProcessBuilder("git", "-C", checkout.toString(), "describe", "--always", "--dirty=+uncommitted changes")
                    .redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes()).trim();
            if (git.waitFor(10, TimeUnit.SECONDS) && git.exitValue() == 0) {
                return checkout + " at " + out.replace("+", " + ");
            }
        } catch (IOException e) {
            // not a git checkout: its path says enough
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return checkout.toString();
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
