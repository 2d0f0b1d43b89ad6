package io.latchkey.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The production overlay's monitoring component as rendered: the PrometheusRule and the Grafana dashboard. */
final class Monitoring {

    static final String DASHBOARD_CONFIG_MAP = "latchkey-dashboard";
    static final String DASHBOARD_FILE = "latchkey-dashboard.json";

    /** Grafana's {@code label_values(selector, label)}: the selector is PromQL, the label is not. */
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)\\s*$",
            Pattern.DOTALL);

    private Monitoring() {
    }

    static GenericKubernetesResource rule(Rendered rendered) {
        List<GenericKubernetesResource> rules = rendered.all(GenericKubernetesResource.class).stream()
                .filter(o -> o.getKind().equals("PrometheusRule")).toList();
        if (rules.size() != 1) {
            throw new AssertionError(rendered.dir() + " renders " + rules.size() + " PrometheusRules, expected one");
        }
        return rules.get(0);
    }

    /** Every rule of every group, as the PrometheusRule's spec holds it (alert, expr, for, labels, annotations). */
    static List<Map<String, Object>> alerts(Rendered rendered) {
        List<Map<String, Object>> groups = rule(rendered).get("spec", "groups");
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (Map<String, Object> group : groups) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rules = (List<Map<String, Object>>) group.get("rules");
            alerts.addAll(rules);
        }
        return alerts;
    }

    static JsonNode dashboard(Rendered rendered) {
        String json = rendered.named(ConfigMap.class, DASHBOARD_CONFIG_MAP).getData().get(DASHBOARD_FILE);
        if (json == null) {
            throw new AssertionError(DASHBOARD_CONFIG_MAP + " has no key " + DASHBOARD_FILE);
        }
        try {
            return new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new AssertionError("the dashboard is not JSON: " + e.getMessage(), e);
        }
    }

    /** The panels that show data: every panel but the rows, including those nested in collapsed rows. */
    static List<JsonNode> dataPanels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                panel.path("panels").forEach(panels::add);
            } else {
                panels.add(panel);
            }
        }
        return panels;
    }

    /** The PromQL of every panel target and every query variable of the dashboard. */
    static List<String> dashboardQueries(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : dataPanels(dashboard)) {
            panel.path("targets").forEach(t -> queries.add(t.path("expr").asText()));
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                JsonNode query = variable.path("query");
                String text = query.isTextual() ? query.asText() : query.path("query").asText();
                Matcher m = LABEL_VALUES.matcher(text);
                queries.add(m.matches() ? m.group(1) : text);
            }
        }
        return queries;
    }

    /** Every PromQL expression the component holds: the alerts' and the dashboard's. */
    static List<String> expressions(Rendered rendered) {
        List<String> expressions = new ArrayList<>();
        alerts(rendered).forEach(a -> expressions.add((String) a.get("expr")));
        expressions.addAll(dashboardQueries(dashboard(rendered)));
        return expressions;
    }
}
