package io.latchkey.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.model.pkce.Pkce;
import io.latchkey.model.store.StoreException;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.testing.TestRedis;
import io.vertx.redis.client.RedisOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every series an alert or a dashboard panel selects is one the packaged services really expose: their
 * /q/metrics are scraped after the traffic that creates the series (exchanges, a replay, an exchange while
 * Redis is frozen, a failed login), and each selector's metric, label names and exact values must be there.
 * A renamed metric or a mistyped label would otherwise leave an alert that never fires and a panel that stays
 * empty.
 */
class MonitoredMetricsTest {

    /** Labels Prometheus adds from the pod when it scrapes; the services cannot expose them. */
    private static final Set<String> TARGET_LABELS = Set.of("namespace", "pod", "container", "job", "instance", "endpoint");

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void everyMetricAndLabelTheAlertsAndTheDashboardQueryIsOneTheServicesExpose(@TempDir Path dir) throws Exception {
        List<String> expressions = Monitoring.expressions(Kustomize.overlay("production"));
        TestRedis redis = TestRedis.get();
        Map<String, Prometheus> scrapes = new LinkedHashMap<>();
        try (PackagedService tokenService = PackagedService.start("metrics", Map.of("QUARKUS_REDIS_HOSTS", redis.url(),
                        // Not the 1 s default: on a loaded machine a slow answer would turn the 200 into a 503.
                        "LATCHKEY_REDIS_TIMEOUT", "3s"));
                CodeIssuer issuer = new CodeIssuer(new RedisOptions().addConnectionString(redis.url()))) {
            CodeIssuer.IssuedCode code = issue(issuer);
            assertThat(tokenService.redeem(code.code(), code.verifier()).statusCode()).isEqualTo(200);
            assertThat(SentinelFailoverTest.error(tokenService.redeem(code.code(), code.verifier()))).isEqualTo("invalid_grant");
            CodeIssuer.IssuedCode unanswered = issue(issuer);
            redis.pause();
            try {
                assertThat(tokenService.redeem(unanswered.code(), unanswered.verifier()).statusCode()).isEqualTo(503);
            } finally {
                redis.resume();
            }
            scrapes.put("token-service", tokenService.metrics());
        }
        try (PackagedService authorizeService = PackagedService.launch("authorize-service", "metrics",
                authorizeSettings(redis, dir), true)) {
            failLogin(authorizeService);
            scrapes.put("authorize-service", authorizeService.metrics());
        }

        List<String> problems = new ArrayList<>();
        for (String expr : expressions) {
            for (PromQl.Selector selector : PromQl.selectors(expr)) {
                String problem = check(selector, scrapes);
                if (problem != null) {
                    problems.add(problem + "\n    in " + expr.strip().replace("\n", " "));
                }
            }
        }
        assertThat(problems).as(String.join("\n", problems)).isEmpty();
    }

    /** CodeIssuer waits 1 s for Redis; on a machine shared with other builds that is sometimes too short. */
    private static CodeIssuer.IssuedCode issue(CodeIssuer issuer) {
        for (int attempt = 1; ; attempt++) {
            try {
                return issuer.issue();
            } catch (StoreException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /** Null when some scraped sample matches the selector's name, label names and exact values; else why not. */
    private static String check(PromQl.Selector selector, Map<String, Prometheus> scrapes) {
        // container="token-service" scopes a selector to the service whose pods carry that container.
        String container = selector.matchers().stream().filter(m -> m.label().equals("container") && m.op().equals("="))
                .map(PromQl.Matcher::value).findFirst().orElse(null);
        if (container != null && !scrapes.containsKey(container)) {
            return "no service runs in a container named " + container;
        }
        List<Prometheus.Sample> samples = scrapes.entrySet().stream()
                .filter(e -> container == null || e.getKey().equals(container))
                .flatMap(e -> e.getValue().samples().stream())
                .filter(s -> s.name().equals(selector.metric())).toList();
        if (samples.isEmpty()) {
            return selector.metric() + " is exposed by no service" + (container == null ? "" : " (looked at " + container + ")");
        }
        for (PromQl.Matcher matcher : selector.matchers()) {
            if (TARGET_LABELS.contains(matcher.label())) {
                continue;
            }
            if (samples.stream().noneMatch(s -> s.labels().containsKey(matcher.label()))) {
                return selector.metric() + " has no label " + matcher.label() + " (it has "
                        + samples.get(0).labels().keySet() + ")";
            }
        }
        // One sample must satisfy every positive matcher at once; values with a Grafana variable are skipped.
        boolean matched = samples.stream().anyMatch(s -> selector.matchers().stream()
                .filter(m -> !TARGET_LABELS.contains(m.label()) && !m.value().contains("$"))
                .allMatch(m -> matches(m, s.labels().getOrDefault(m.label(), ""))));
        if (!matched) {
            return "no sample of " + selector.metric() + " matches " + selector.matchers() + "; there are "
                    + samples.stream().map(Prometheus.Sample::labels).distinct().limit(20).toList();
        }
        return null;
    }

    private static boolean matches(PromQl.Matcher matcher, String value) {
        switch (matcher.op()) {
            case "=":
                return value.equals(matcher.value());
            case "!=":
                return !value.equals(matcher.value());
            case "=~":
                return value.matches(matcher.value());
            default:
                return !value.matches(matcher.value());
        }
    }

    /** authorize-service alone on a new database, which it migrates and fills with the same one-client realm. */
    private static Map<String, String> authorizeSettings(TestRedis redis, Path dir) throws Exception {
        Path realm = PackagedService.writeRealm(dir, "openid", "authorization_code");
        Map<String, String> env = new HashMap<>(TestDatabase.create("metrics-authorize").settings());
        env.put("QUARKUS_REDIS_HOSTS", redis.url());
        env.put("LATCHKEY_REALM_FILE", realm.toString());
        return env;
    }

    /** Walks an authorization request to the login form as a browser would and sends a wrong password. */
    private static void failLogin(PackagedService authorizeService) throws Exception {
        String base = "http://127.0.0.1:" + authorizeService.port();
        String verifier = OpaqueToken.randomId(48);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", PackagedService.CLIENT);
        query.put("redirect_uri", PackagedService.REDIRECT);
        query.put("scope", "openid");
        query.put("state", "s");
        query.put("code_challenge", Pkce.s256(verifier));
        query.put("code_challenge_method", "S256");
        Map<String, String> cookies = new LinkedHashMap<>();
        URI at = URI.create(base + "/authorize?" + form(query));
        HttpResponse<String> page = null;
        for (int step = 0; step < 5; step++) {
            page = send(HttpRequest.newBuilder(at).GET(), cookies);
            if (page.statusCode() / 100 != 3) {
                break;
            }
            at = at.resolve(page.headers().firstValue("Location").orElseThrow());
        }
        assertThat(page.statusCode()).as("the login page: " + page.body()).isEqualTo(200);
        Map<String, String> login = new LinkedHashMap<>();
        login.put("request_id", hidden(page.body(), "request_id"));
        login.put("csrf_token", hidden(page.body(), "csrf_token"));
        login.put("username", "alice");
        login.put("password", "not-her-password");
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(login))), cookies);
        assertThat(answer.statusCode()).as("a wrong password shows the form again: " + answer.body()).isIn(200, 401);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, Map<String, String> cookies) throws Exception {
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        for (String setCookie : response.headers().allValues("Set-Cookie")) {
            String pair = setCookie.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq > 0) {
                cookies.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        return response;
    }

    private static String hidden(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
        assertThat(m.find()).as("the login page has a " + name + " field:\n" + html).isTrue();
        return m.group(1).replace("&amp;", "&");
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
