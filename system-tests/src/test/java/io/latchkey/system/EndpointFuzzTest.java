package io.latchkey.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testing.TestPostgres;
import io.latchkey.testing.TestRedis;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Generated malformed requests against every endpoint of the packaged services: random and boundary
 * values, repeated and unknown parameters, huge values and parameter counts, broken percent-encoding and
 * invalid UTF-8, wrong content types and methods, missing, duplicate and oversized headers, truncated and
 * broken bodies. Every answer must be a 2xx/3xx/4xx in the endpoint's own format, within its deadline,
 * with no stack trace or internal class name, and every redirect must go to a registered URI; afterwards
 * Redis may hold only the short-lived keys valid requests create.
 *
 * <p>Count per endpoint: {@value #CI_COUNT} by default (well under a minute on a 2-core machine);
 * {@code -Dlatchkey.fuzz.count=10000} for the full run; {@code -Dlatchkey.fuzz.seed=N} to replay a run.
 */
class EndpointFuzzTest {

    static final int CI_COUNT = 2000;
    static final int FULL_COUNT = 10_000;
    private static final int COUNT = Integer.getInteger("latchkey.fuzz.count", CI_COUNT);
    private static final long SEED = Long.getLong("latchkey.fuzz.seed", 20261125L);
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final int THREADS = 4;

    /** Internal names that must never reach a client (stack traces, framework error pages). */
    private static final Pattern LEAK = Pattern.compile("io\\.latchkey|java\\.|javax\\.|jakarta\\.|Exception|io\\.quarkus|io\\.vertx"
            + "|io\\.netty|org\\.jboss|\\tat |\\bat [a-z]+\\.[a-z]+\\.");

    /**
     * The only kinds of key a fuzz run may leave in Redis, each with a TTL: pending authorization requests
     * and their client address's slots (a valid /authorize creates them), failed-login counters (a wrong
     * password creates them) and revoked access tokens' jti (a valid /revoke of a live access token creates one).
     */
    // A login page carries a passkey challenge: one short-lived key per page shown.
    private static final List<String> ALLOWED_NEW_KEYS = List.of("lk:{req:", "lk:{pending:", "lk:{throttle:", "lk:{jti:",
            "lk:{webauthn:");

    private static Stack stack;
    private static final Map<String, FuzzCase.Target> TARGETS = new HashMap<>();
    private static Set<String> registered;

    @BeforeAll
    static void start() throws Exception {
        stack = Stack.start(1);
        System.out.printf("fuzz: %d requests per endpoint (CI default %d, full run -Dlatchkey.fuzz.count=%d), seed %d%n",
                COUNT, CI_COUNT, FULL_COUNT, SEED);
        registered = Set.of("http://localhost:" + stack.spaPort + "/callback.html", "http://localhost:" + stack.spaPort + "/silent-renew.html",
                "http://localhost:" + stack.spaPort + "/", "io.latchkey.demo:/callback", "http://localhost:9090/callback");

        // Real values for the generator to start from and to near-miss: a used code, a live access token, an
        // ID token, a revoked refresh token.
        Grants.Code code = Grants.mint(stack);
        Wire.Answer tokens = Grants.exchange(stack, 0, code);
        String accessToken = tokens.string("access_token");
        String idToken = tokens.string("id_token");
        String refreshToken = tokens.string("refresh_token");
        assertThat(Wire.postForm(stack.tokenUrl(0) + "/revoke", Map.of("client_id", Stack.NATIVE_CLIENT, "token", refreshToken))
                .status()).isEqualTo(200);
        List<String> tokenValues = List.of(code.code(), accessToken, idToken, refreshToken, code.verifier(), Stack.NATIVE_CLIENT);

        String loopback = "http://127.0.0.1:" + TestRedis.freePort() + "/callback";
        Map<String, String> authorize = FuzzCase.map("response_type", "code", "client_id", Stack.NATIVE_CLIENT,
                "redirect_uri", loopback, "scope", "openid profile", "state", "s-1", "nonce", "n-1",
                "code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method", "S256");
        int authorizePort = stack.authorize.port;
        int tokenPort = stack.tokens.get(0).port;
        add(new FuzzCase.Target("/authorize", authorizePort, "/authorize", List.of("GET", "POST"), authorize, Map.of(),
                List.of(), tokenValues));

        // A pending request in one browser, for the login form.
        MiniBrowser loginBrowser = new MiniBrowser();
        Document loginPage = loginBrowser.page(stack.issuer + "/authorize?" + Wire.form(authorize));
        add(new FuzzCase.Target("/login", authorizePort, "/login", List.of("POST"),
                FuzzCase.map("request_id", loginPage.selectFirst("input[name=request_id]").val(),
                        "csrf_token", loginPage.selectFirst("input[name=csrf_token]").val(), "username", "alice", "password", "not-her-password"),
                Map.of("Cookie", loginBrowser.cookieHeader()), List.of("request_id", "csrf_token"), tokenValues));

        // A signed-in browser on the consent page (prompt=consent: the consent may be remembered from another test).
        MiniBrowser consentBrowser = new MiniBrowser();
        Map<String, String> consentRequest = new java.util.LinkedHashMap<>(authorize);
        consentRequest.put("prompt", "consent");
        Document page = consentBrowser.page(stack.issuer + "/authorize?" + Wire.form(consentRequest));
        Document consentPage = consentBrowser.post(stack.issuer + "/login", FuzzCase.map(
                "request_id", page.selectFirst("input[name=request_id]").val(), "csrf_token", page.selectFirst("input[name=csrf_token]").val(),
                "username", Stack.USERNAME, "password", Stack.PASSWORD));
        assertThat(consentPage.select("[name=decision]")).as("consent page").isNotEmpty();
        add(new FuzzCase.Target("/consent", authorizePort, "/consent", List.of("POST"),
                FuzzCase.map("request_id", consentPage.selectFirst("input[name=request_id]").val(),
                        "csrf_token", consentPage.selectFirst("input[name=csrf_token]").val(), "decision", "deny"),
                Map.of("Cookie", consentBrowser.cookieHeader()), List.of("request_id", "csrf_token"), tokenValues));

        add(new FuzzCase.Target("/logout", authorizePort, "/logout", List.of("GET", "POST"),
                FuzzCase.map("id_token_hint", idToken, "client_id", Stack.SPA_CLIENT, "post_logout_redirect_uri",
                        "http://localhost:" + stack.spaPort + "/", "state", "bye"), Map.of(), List.of(), tokenValues));
        add(new FuzzCase.Target("/token", tokenPort, "/token", List.of("POST"),
                FuzzCase.map("grant_type", "authorization_code", "client_id", Stack.NATIVE_CLIENT, "code", code.code(),
                        "redirect_uri", code.redirectUri(), "code_verifier", code.verifier()), Map.of(), List.of(), tokenValues));
        add(new FuzzCase.Target("/userinfo", tokenPort, "/userinfo", List.of("GET", "POST"), FuzzCase.map("access_token", accessToken),
                Map.of("Authorization", "Bearer " + accessToken), List.of(), tokenValues));
        add(new FuzzCase.Target("/revoke", tokenPort, "/revoke", List.of("POST"),
                FuzzCase.map("client_id", Stack.NATIVE_CLIENT, "token", refreshToken, "token_type_hint", "refresh_token"),
                Map.of(), List.of(), tokenValues));
        add(new FuzzCase.Target("/introspect", tokenPort, "/introspect", List.of("POST"), FuzzCase.map("token", accessToken),
                Map.of("Authorization", Wire.basic(Stack.BACKEND_CLIENT, Stack.BACKEND_SECRET)), List.of(), tokenValues));
    }

    private static void add(FuzzCase.Target target) {
        TARGETS.put(target.name(), target);
    }

    @AfterAll
    static void stop() {
        // Failed-login counters and pending-request slots of 127.0.0.1 would slow or refuse the sign-ins of the
        // test classes after this one.
        for (String key : keys()) {
            if (key.startsWith("lk:{throttle:") || key.startsWith("lk:{pending:")) {
                TestRedis.get().command("DEL", key);
            }
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void fuzzAuthorize() throws Exception {
        fuzz("/authorize");
    }

    @Test
    void fuzzLogin() throws Exception {
        fuzz("/login");
    }

    @Test
    void fuzzConsent() throws Exception {
        fuzz("/consent");
    }

    @Test
    void fuzzLogout() throws Exception {
        fuzz("/logout");
    }

    @Test
    void fuzzToken() throws Exception {
        fuzz("/token");
    }

    @Test
    void fuzzUserinfo() throws Exception {
        fuzz("/userinfo");
    }

    @Test
    void fuzzRevoke() throws Exception {
        fuzz("/revoke");
    }

    @Test
    void fuzzIntrospect() throws Exception {
        fuzz("/introspect");
    }

    private static void fuzz(String name) throws Exception {
        FuzzCase.Target target = TARGETS.get(name);
        boolean tokenService = target.port() != stack.authorize.port;
        Map<String, String> before = snapshot();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger raw = new AtomicInteger();
        java.util.concurrent.atomic.AtomicLong slowest = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicReference<String> slowestCase = new java.util.concurrent.atomic.AtomicReference<>("");
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = thread; i < COUNT && problems.size() < 20; i += THREADS) {
                        FuzzCase c = FuzzCase.generate(target, SEED * 1_000_003L + name.hashCode() * 31L + i);
                        Wire.Answer answer = send(c);
                        if (answer.millis() > slowest.get()) {
                            slowest.set(answer.millis());
                            slowestCase.set(answer.millis() + " ms: " + c.describe() + " -> " + answer.status());
                        }
                        if (c.raw) {
                            raw.incrementAndGet();
                        }
                        statuses.computeIfAbsent(answer.status(), s -> new AtomicInteger()).incrementAndGet();
                        String problem = judge(c, answer, tokenService);
                        if (problem != null) {
                            problems.add(problem + "\n   request: " + c.describe() + "\n   answer: " + answer);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        System.out.printf("fuzz %s: %d requests (%d raw) in %d s, statuses %s%n", name, COUNT, raw.get(), seconds, new java.util.TreeMap<>(statuses));
        System.out.println("   slowest: " + slowestCase.get());
        assertThat(problems).as("answers that break the rules").isEmpty();
        assertOnlyShortLivedKeysOfValidRequests(before, snapshot(), statuses);
    }

    private static Wire.Answer send(FuzzCase c) {
        Wire.Answer answer = sendOnce(c);
        for (int retry = 0; retry < 2 && answer.status() == -1 && !c.raw && answer.body().contains("received no bytes"); retry++) {
            // The JDK client reused a pooled connection the server had just closed (after refusing an
            // oversized request on it): the request never reached a server that could answer. Again.
            answer = sendOnce(c);
        }
        return answer;
    }

    private static Wire.Answer sendOnce(FuzzCase c) {
        var request = c.forClient();
        if (request == null) {
            // Only a truncated or broken body needs the end of input to show; otherwise Connection: close ends it.
            return Wire.raw(c.target.port(), c.rawBytes(), DEADLINE, c.truncated || c.chunkedGarbage);
        }
        long start = System.nanoTime();
        var future = Wire.HTTP.sendAsync(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        try {
            var response = future.get(DEADLINE.toSeconds() + 5, TimeUnit.SECONDS);
            Map<String, List<String>> headers = new HashMap<>();
            response.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
            return new Wire.Answer(response.statusCode(), headers, response.body(), Duration.ofNanos(System.nanoTime() - start).toMillis());
        } catch (java.util.concurrent.TimeoutException e) {
            future.cancel(true);
            return new Wire.Answer(-2, Map.of(), "no answer within " + DEADLINE, Duration.ofNanos(System.nanoTime() - start).toMillis());
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof java.net.http.HttpTimeoutException) {
                return new Wire.Answer(-2, Map.of(), "no answer within " + DEADLINE, Duration.ofNanos(System.nanoTime() - start).toMillis());
            }
            // The server closed the connection (for example after refusing an oversized request): no 5xx.
            return new Wire.Answer(-1, Map.of(), String.valueOf(e.getCause()), Duration.ofNanos(System.nanoTime() - start).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What is wrong with this answer, or null. */
    private static String judge(FuzzCase c, Wire.Answer a, boolean tokenService) {
        if (a.status() == -2) {
            return "hung past the deadline";
        }
        if (a.status() >= 500) {
            return "5xx";
        }
        if (a.status() == -1 && !c.raw && !c.mutations.contains("large header")) {
            // A header past the 16 KiB limit may end the connection instead of a 431; anything else must be answered.
            return "connection closed without an answer to a well-formed HTTP request";
        }
        if (leaks(a.body(), c)) {
            return "internal detail in the body";
        }
        for (List<String> values : a.headers().values()) {
            for (String v : values) {
                if (leaks(java.net.URLDecoder.decode(v.replace("%", "%25").replaceAll("%25([0-9A-Fa-f]{2})", "%$1"),
                        java.nio.charset.StandardCharsets.UTF_8), c)) {
                    return "internal detail in a header";
                }
            }
        }
        if (a.status() >= 300 && a.status() < 400) {
            String location = a.header("Location").orElse(null);
            if (location == null) {
                return "redirect without Location";
            }
            if (!registeredTarget(location)) {
                return "redirect to an unregistered URI: " + location;
            }
        }
        if (c.noHost && a.status() == 400) {
            // No Host header is not HTTP/1.1: Vert.x refuses it before any endpoint runs, in Quarkus' format.
            return null;
        }
        if (a.status() >= 400 && !a.body().isEmpty() && !"HEAD".equals(c.method)) {
            String type = a.header("Content-Type").orElse("");
            if (tokenService) {
                if (!type.startsWith("application/json") || !a.body().matches("(?s)\\{.*\"error\"\\s*:\\s*\"[a-z_]+\".*}")) {
                    return "token-service error not in the RFC 6749 §5.2 JSON format";
                }
            } else if (!type.startsWith("text/html") || !(a.body().contains("data-error=") || a.body().contains("data-problem="))) {
                return "authorize-service error not on its error page (or the login page with its problem)";
            }
        }
        return null;
    }

    /** An internal name in {@code text} that the request did not carry itself (an echoed value is not a leak). */
    private static boolean leaks(String text, FuzzCase c) {
        java.util.regex.Matcher m = LEAK.matcher(text);
        String sent = c.decodedParams();
        while (m.find()) {
            if (!sent.contains(m.group())) {
                return true;
            }
        }
        return false;
    }

    private static boolean registeredTarget(String location) {
        URI uri;
        try {
            uri = URI.create(location);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (!uri.isAbsolute()) {
            return location.startsWith("/") && !location.startsWith("//");
        }
        String base = location.split("[?#]", 2)[0];
        if (base.startsWith(stack.issuer + "/")) {
            return true;
        }
        if (registered.contains(base)) {
            return true;
        }
        // RFC 8252 §7.3: demo-native's loopback redirect on any port.
        return "http".equals(uri.getScheme()) && "127.0.0.1".equals(uri.getHost()) && "/callback".equals(uri.getRawPath())
                && uri.getRawUserInfo() == null;
    }

    private static List<String> keys() {
        String reply = TestRedis.get().command("KEYS", "lk:*");
        return reply == null || reply.isEmpty() ? List.of() : Arrays.asList(reply.split("\n"));
    }

    /**
     * Every key under lk:, with its serialised value (DUMP) so that changed records show, and a digest of each
     * directory table in PostgreSQL under a name of its own.
     */
    private static Map<String, String> snapshot() {
        Map<String, String> values = new HashMap<>();
        for (String key : keys()) {
            values.put(key, String.valueOf(TestRedis.get().command("DUMP", key)));
        }
        for (String table : List.of("users", "credentials", "clients", "consents")) {
            values.put(DIRECTORY + table, TestPostgres.get().queryOne(
                    "SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM " + table + " t"));
        }
        return values;
    }

    /** The prefix of the directory's tables in a snapshot: not a Redis key, since no key starts with it. */
    private static final String DIRECTORY = "postgres:";

    private static void assertOnlyShortLivedKeysOfValidRequests(Map<String, String> before, Map<String, String> after,
            Map<Integer, AtomicInteger> statuses) {
        Set<String> added = new HashSet<>(after.keySet());
        added.removeAll(before.keySet());
        List<String> problems = new ArrayList<>();
        for (String key : added) {
            if (ALLOWED_NEW_KEYS.stream().noneMatch(key::startsWith)) {
                problems.add("unexpected key " + key);
            } else if (Long.parseLong(TestRedis.get().command("PTTL", key)) <= 0) {
                problems.add("key without a TTL " + key);
            }
        }
        // Durable records (the directory's tables, the signing keys) are unchanged.
        for (Map.Entry<String, String> e : before.entrySet()) {
            String key = e.getKey();
            boolean persistent = key.startsWith(DIRECTORY) || key.equals("lk:keys");
            if (persistent && !e.getValue().equals(after.get(key))) {
                problems.add("directory or signing keys changed: " + key);
            }
        }
        long requests = added.stream().filter(k -> k.startsWith("lk:{req:")).count();
        int pages = statuses.getOrDefault(200, new AtomicInteger()).get();
        System.out.printf("   new keys: %d (%s)%n", added.size(), added.stream()
                .map(k -> k.substring(0, k.indexOf(':', 4) < 0 ? k.length() : k.indexOf(':', 4)).toLowerCase(Locale.ROOT))
                .collect(java.util.stream.Collectors.groupingBy(k -> k, java.util.stream.Collectors.counting())));
        assertThat(requests).as("pending requests stored, at most one per 200 answer").isLessThanOrEqualTo(pages);
        long challenges = added.stream().filter(k -> k.startsWith("lk:{webauthn:")).count();
        assertThat(challenges).as("passkey challenges stored, at most one per 200 answer").isLessThanOrEqualTo(pages);
        assertThat(problems).isEmpty();
    }

    /** Enough of a browser for the bases: follows nothing, keeps cookies, parses pages. */
    private static final class MiniBrowser {
        private final Map<String, String> cookies = new java.util.LinkedHashMap<>();

        Document page(String url) {
            return parse(Wire.get(url, headers()), url);
        }

        Document post(String url, Map<String, String> form) {
            return parse(Wire.postForm(url, form, headers()), url);
        }

        private String[] headers() {
            return cookies.isEmpty() ? new String[0] : new String[] {"Cookie", cookieHeader()};
        }

        String cookieHeader() {
            return cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining("; "));
        }

        private Document parse(Wire.Answer answer, String url) {
            for (String setCookie : answer.headers().getOrDefault("set-cookie", List.of())) {
                String pair = setCookie.split(";", 2)[0];
                cookies.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
            assertThat(answer.status()).as("%s: %s", url, answer).isEqualTo(200);
            return Jsoup.parse(answer.body(), url);
        }
    }
}
