package io.latchkey.bench;

import io.latchkey.bench.report.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The command line. {@code compare} starts Latchkey (and Keycloak, given its distribution, and node-oidc-provider,
 * when Node.js is installed) on loopback and writes the report; see bench/README.md.
 */
public final class Bench {

    private static final String USAGE = """
            Usage: java -jar bench/target/latchkey-bench.jar compare [options]
                   java -jar bench/target/latchkey-bench.jar report --out DIR   (writes report.md and chart.svg again from DIR/results.json)
              --seconds N       measured seconds per scenario (20)
              --warmup N        warm-up seconds per scenario, discarded (10)
              --concurrency N   virtual users (32)
              --keycloak DIR    an unpacked keycloak-quarkus-dist; without it Keycloak is not measured
              --node-oidc-provider DIR|off  node-oidc-provider's server script and lock file (ROOT/bench/node-oidc-provider);
                                skipped with a message when node or npm is missing
              --out DIR         where report.md, chart.svg and results.json go (bench/results/latest)
              --root DIR        the Latchkey checkout (.)
              --only NAME       run only the scenarios whose names start with NAME (repeatable)
              --profile DIR     Latchkey's services record a Java Flight Recording each into DIR
              --latchkey-env K=V  an environment variable for Latchkey's services, e.g. TOKEN_SERVICE_CRYPTO_PROVIDER=jdk (repeatable)
              --baseline DIR    the root of another built checkout of Latchkey, run side by side with this one (ratios after/before)
              --rounds N        with --baseline: each scenario alternates between the two N times, figures summed (1)
              --directory-users N  import a directory of N users (realm file, else Keycloak export) and measure logins on it (0: none)
              --import-heap SIZE   -Xmx of the import's JVM (4g)
              --outage N        stop PostgreSQL for N seconds under load and count what the token leg and logins answered (0: none)
            """;

    private Bench() {
    }

    private static Comparison comparison(Options options) {
        if (!"compare".equals(options.command())) {
            throw new IllegalArgumentException("unknown command " + options.command());
        }
        options.requireKnown(List.of("seconds", "warmup", "concurrency", "keycloak", "out", "root", "only", "profile", "latchkey-env",
                "baseline", "rounds", "directory-users", "import-heap", "outage", "node-oidc-provider"));
        Path root = Path.of(options.get("root", ".")).toAbsolutePath().normalize();
        String keycloak = options.get("keycloak", null);
        if (keycloak != null && !Files.isExecutable(Path.of(keycloak, "bin", "kc.sh"))) {
            throw new IllegalArgumentException(keycloak + " has no bin/kc.sh; unpack keycloak-quarkus-dist there (mvn -Pkeycloak -pl bench -am package)");
        }
        String profile = options.get("profile", null);
        String baseline = options.get("baseline", null);
        if (baseline != null && !Files.exists(Path.of(baseline, "token-service/target/quarkus-app/quarkus-run.jar"))) {
            throw new IllegalArgumentException(baseline + " has no packaged services; build them there first"
                    + " (mvn -B -DskipTests package -pl authorize-service,token-service -am)");
        }
        int rounds = options.integer("rounds", 1);
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds takes 1 or more");
        }
        String heap = options.get("import-heap", Comparison.Directory.NONE.importHeap());
        if (!heap.matches("\\d+[kKmMgG]?")) {
            throw new IllegalArgumentException("--import-heap takes a size as -Xmx does, e.g. 4g");
        }
        Comparison.Directory directory = new Comparison.Directory(baseline == null ? null : Path.of(baseline).toAbsolutePath().normalize(),
                rounds, options.integer("directory-users", 0), heap, Duration.ofSeconds(options.integer("outage", 0)));
        String node = options.get("node-oidc-provider", root.resolve("bench/node-oidc-provider").toString());
        return new Comparison(root, Path.of(options.get("out", root.resolve("bench/results/latest").toString())),
                Duration.ofSeconds(options.integer("seconds", 20)), Duration.ofSeconds(options.integer("warmup", 10)),
                options.integer("concurrency", 32), keycloak == null ? null : Path.of(keycloak).toAbsolutePath(),
                options.all("only"), profile == null ? null : Path.of(profile).toAbsolutePath(),
                environment(options.all("latchkey-env")), directory,
                "off".equals(node) ? null : Path.of(node).toAbsolutePath().normalize());
    }

    private static java.util.Map<String, String> environment(List<String> pairs) {
        java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--latchkey-env takes NAME=value, not " + pair);
            }
            env.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return env;
    }

    public static void main(String[] args) throws Exception {
        // The libraries shared with the services log through JBoss LogManager, which must be named before
        // anything logs, or it complains on the console.
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        Comparison comparison;
        try {
            Options options = Options.parse(args);
            if ("report".equals(options.command())) {
                options.requireKnown(List.of("out"));
                Path dir = Path.of(options.get("out", "bench/results/latest"));
                Report.read(dir).write(dir);
                System.out.println("Written to " + dir.toAbsolutePath());
                return;
            }
            comparison = comparison(options);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        Report report = comparison.run();
        System.out.println();
        System.out.print(report.markdown());
        System.out.println("\nWritten to " + comparison.out().toAbsolutePath());
    }
}
