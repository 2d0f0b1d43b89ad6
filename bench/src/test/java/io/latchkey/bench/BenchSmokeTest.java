package io.latchkey.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.bench.report.Report;
import io.latchkey.bench.report.ScenarioResult;
import io.latchkey.bench.report.TargetResult;
import io.latchkey.bench.scenario.Scenario;
import io.latchkey.bench.scenario.Scenarios;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's CI run: every scenario for a few seconds against the packaged services, failing on
 * any error and never on speed, which a shared CI machine cannot judge. The DPoP scenarios count as errors a
 * token that came back Bearer, and a nonce refusal that the one retry with the server's nonce did not answer.
 */
class BenchSmokeTest {

    @Test
    void everyScenarioRunsWithoutErrorsAndTheReportIsWritten() throws Exception {
        Path root = Path.of(System.getProperty("latchkey.root", "..")).toAbsolutePath().normalize();
        Path out = root.resolve("bench/target/smoke");

        Report report = new Comparison(root, out, Duration.ofSeconds(2), Duration.ZERO, 4, null, List.of(), null, Map.of()).run();

        TargetResult latchkey = report.targets().get(0);
        List<String> expected = new ArrayList<>(Scenarios.all().stream().map(Scenario::name).toList());
        expected.add(Scenarios.HALF_PEAK);
        assertThat(latchkey.scenarios()).extracting(ScenarioResult::scenario).containsExactlyElementsOf(expected);
        for (ScenarioResult r : latchkey.scenarios()) {
            assertThat(r.errors()).as(r.scenario()).isEmpty();
            assertThat(r.operations()).as(r.scenario()).isPositive();
            assertThat(r.cpuMillisPerOperation()).as(r.scenario()).isPositive();
            assertThat(r.p99Millis()).as(r.scenario()).isGreaterThanOrEqualTo(r.p50Millis()).isPositive();
        }
        assertThat(latchkey.startupMillis()).containsOnlyKeys("authorize-service", "token-service")
                .allSatisfy((process, millis) -> assertThat(millis).isPositive());
        assertThat(latchkey.peakRssMib()).containsOnlyKeys("redis", "authorize-service", "token-service", "postgres")
                .allSatisfy((process, mib) -> assertThat(mib).isPositive());
        assertThat(report.signatureFloor()).containsOnlyKeys("RS256", "ES256", "EdDSA");
        // The DPoP rows (issue 15): run without error like the rest (the loop above), each beside its bearer row.
        assertThat(expected).contains(Scenarios.DPOP_CODE_EXCHANGE, Scenarios.DPOP_REFRESH);
        assertThat(Files.readString(out.resolve("report.md"))).contains("| Latchkey | code exchange RS256 |")
                .contains("## DPoP beside bearer")
                .contains("| Latchkey | DPoP code exchange | code exchange RS256 |")
                .contains("| Latchkey | DPoP refresh | refresh rotation |");
        assertThat(Files.readString(out.resolve("chart.svg"))).startsWith("<svg");
        assertThat(Files.readString(out.resolve("results.json"))).contains("\"cpuMillisPerOperation\"");
    }
}
