package io.latchkey.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production overlay's alerts and dashboard (k8s/components/monitoring): rendered where Prometheus Operator
 * and Grafana's sidecar find them, complete enough to act on, and the alerts proven on synthetic series with
 * Prometheus' own promtool. MonitoredMetricsTest holds their queries to what the services expose.
 */
class MonitoringRulesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static Rendered production;

    @BeforeAll
    static void render() {
        production = Kustomize.overlay("production");
    }

    @Test
    void productionRendersAPrometheusRuleAndTheDashboardAsAConfigMapForGrafanasSidecar() throws IOException {
        GenericKubernetesResource rule = Monitoring.rule(production);
        assertThat(rule.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(rule.getMetadata().getNamespace()).isEqualTo("latchkey");

        ConfigMap dashboard = production.named(ConfigMap.class, Monitoring.DASHBOARD_CONFIG_MAP);
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(dashboard.getMetadata().getNamespace()).isEqualTo("latchkey");
        // The ConfigMap carries the file as it is, so the file imported by hand is the dashboard the sidecar loads.
        Path file = Kustomize.root().resolve("k8s/components/monitoring").resolve(Monitoring.DASHBOARD_FILE);
        assertThat(dashboard.getData().get(Monitoring.DASHBOARD_FILE)).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** A cluster without Prometheus Operator's CRDs would refuse a PrometheusRule; dev has none. */
    @Test
    void devRendersNoAlertsAndNoDashboard() {
        Rendered dev = Kustomize.overlay("dev");
        assertThat(dev.all(GenericKubernetesResource.class)).extracting(GenericKubernetesResource::getKind)
                .doesNotContain("PrometheusRule");
        assertThat(dev.find(ConfigMap.class, Monitoring.DASHBOARD_CONFIG_MAP)).isEmpty();
    }

    @Test
    void theDashboardHasAUidATitleAndAQueryOnTheChosenDataSourceInEveryPanel() {
        JsonNode dashboard = Monitoring.dashboard(production);
        assertThat(dashboard.path("uid").asText()).matches("[a-zA-Z0-9_-]{1,40}");
        assertThat(dashboard.path("title").asText()).isNotBlank();
        List<JsonNode> panels = Monitoring.dataPanels(dashboard);
        assertThat(panels).hasSizeGreaterThanOrEqualTo(6);
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : panels) {
            String title = panel.path("title").asText();
            assertThat(title).isNotBlank();
            assertThat(ids.add(panel.path("id").asInt())).as(title + ": a panel id used twice").isTrue();
            assertThat(panel.path("targets")).as(title + " has a query").isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                assertThat(expr).as(title).isNotBlank();
                assertThat(PromQl.selectors(expr)).as(title + ": " + expr).isNotEmpty();
                // The data source is the dashboard's variable, so the file imports into any Grafana.
                assertThat(target.path("datasource").path("uid").asText()).as(title).isEqualTo("${datasource}");
            }
        }
        List<String> variables = new ArrayList<>();
        dashboard.path("templating").path("list").forEach(v -> variables.add(v.path("name").asText()));
        assertThat(variables).contains("datasource", "namespace");
    }

    @Test
    void everyAlertHasASeverityAWaitASummaryADescriptionAndARunbookSectionThatExists() throws IOException {
        Set<String> anchors = anchors(Files.readString(Kustomize.root().resolve("docs/kubernetes.md"), StandardCharsets.UTF_8));
        List<Map<String, Object>> alerts = Monitoring.alerts(production);
        assertThat(alerts).extracting(a -> a.get("alert")).containsExactlyInAnyOrder("LatchkeyTokenServerErrors",
                "LatchkeyTokenErrorRatioHigh", "LatchkeyTokenLatencyHigh", "LatchkeyRedisUnavailable",
                "LatchkeyLoginThrottlingSpike", "LatchkeySigningKeyTooOld");
        for (Map<String, Object> alert : alerts) {
            String name = (String) alert.get("alert");
            @SuppressWarnings("unchecked")
            Map<String, String> labels = (Map<String, String>) alert.get("labels");
            @SuppressWarnings("unchecked")
            Map<String, String> annotations = (Map<String, String>) alert.get("annotations");
            assertThat(labels).as(name).containsKey("severity");
            assertThat(labels.get("severity")).as(name).isIn("critical", "warning");
            assertThat((String) alert.get("for")).as(name + ": a blip does not page").matches("[0-9]+[smh]");
            assertThat(annotations.get("summary")).as(name).isNotBlank();
            assertThat(annotations.get("description")).as(name).isNotBlank();
            String runbook = annotations.get("runbook");
            assertThat(runbook).as(name).startsWith("docs/kubernetes.md#");
            assertThat(anchors).as(name + ": " + runbook).contains(runbook.substring(runbook.indexOf('#') + 1));
        }
    }

    @Test
    void promtoolAcceptsTheRulesAndTheAlertsFireOnlyWhereTheirUnitTestsSay(@TempDir Path dir) throws Exception {
        Map<String, Object> spec = Monitoring.rule(production).get("spec");
        Path full = dir.resolve("full.yaml");
        YAML.writeValue(full.toFile(), spec);
        assertThat(promtool(dir, "check", "rules", full.toString())).contains("SUCCESS");

        // The unit tests compare annotations verbatim; the previous test checks them, these the expressions.
        List<Map<String, Object>> groups = new ArrayList<>();
        for (Map<String, Object> group : Monitoring.rule(production).<List<Map<String, Object>>>get("spec", "groups")) {
            Map<String, Object> copy = new LinkedHashMap<>(group);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rules = (List<Map<String, Object>>) group.get("rules");
            copy.put("rules", rules.stream().map(r -> {
                Map<String, Object> bare = new LinkedHashMap<>(r);
                bare.remove("annotations");
                return bare;
            }).toList());
            groups.add(copy);
        }
        YAML.writeValue(dir.resolve("rules.yaml").toFile(), Map.of("groups", groups));
        Path tests = dir.resolve("alerts-test.yaml");
        Files.copy(Kustomize.root().resolve("k8s/src/test/resources/monitoring/alerts-test.yaml"), tests);
        assertThat(promtool(dir, "test", "rules", tests.toString())).contains("SUCCESS");

        // Every alert has a unit test that sees it fire.
        JsonNode unitTests = YAML.readTree(tests.toFile());
        Set<String> firing = new HashSet<>();
        for (JsonNode test : unitTests.path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                if (!check.path("exp_alerts").isEmpty()) {
                    firing.add(check.path("alertname").asText());
                }
            }
        }
        assertThat(firing).containsExactlyInAnyOrderElementsOf(
                Monitoring.alerts(production).stream().map(a -> (String) a.get("alert")).toList());
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
    static Set<String> anchors(String markdown) {
        return markdown.lines().filter(l -> l.startsWith("#"))
                .map(l -> l.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'))
                .collect(Collectors.toSet());
    }

    /** Runs Prometheus' promtool and returns its output; fails with the output when it does. */
    private static String promtool(Path dir, String... arguments) throws IOException, InterruptedException {
        Path promtool = onPath("promtool");
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(arguments));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
        }
        assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + output).isZero();
        return output;
    }

    private static Path onPath(String command) {
        String path = System.getenv("PATH");
        for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("The alerts' unit tests need Prometheus' promtool on the PATH: apt-get install "
                + "prometheus (Debian/Ubuntu) or the promtool binary of a Prometheus release.");
    }
}
