package io.latchkey.bench.oidc;

import io.latchkey.bench.load.Failure;
import io.latchkey.bench.load.Http;
import io.vertx.core.Future;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * One user agent on the authorization endpoint: a cookie jar, and the steps a browser without scripts
 * takes (follow the provider's redirects, fill in a login form, approve a consent form) until the
 * provider redirects to the client. Works with any provider whose login form has a password field.
 *
 * <p>The jar sends every cookie back to the provider regardless of Secure, Path and SameSite: it talks to
 * one provider on loopback, where browsers treat http://localhost as a secure context.
 */
public final class Browser {

    /** A code and the verifier whose challenge it was issued against. */
    public record Code(String code, String verifier) {
    }

    private static final int MAX_STEPS = 12;

    private final Http http;
    private final Provider provider;
    private final Map<String, String> cookies = new LinkedHashMap<>();

    public Browser(Http http, Provider provider) {
        this.http = http;
        this.provider = provider;
    }

    /**
     * Sends an authorization request (response_type=code, S256) and walks it to the redirect back.
     * With {@code silent}, prompt=none: the provider must answer from its session, with no page.
     */
    public Future<Code> authorize(String clientId, String redirectUri, boolean silent, String username, String password) {
        return authorize(clientId, redirectUri, silent, username, password, null);
    }

    /**
     * The same, with {@code dpop_jkt} (RFC 9449 §10) when {@code dpopJkt} is not null: the code is bound to that DPoP
     * key and only a proof by it redeems the code, as oidc-client-ts asks with {@code bind_authorization_code}.
     */
    public Future<Code> authorize(String clientId, String redirectUri, boolean silent, String username, String password,
            String dpopJkt) {
        PkcePair pkce = PkcePair.create();
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", clientId);
        query.put("redirect_uri", redirectUri);
        query.put("scope", "openid");
        query.put("state", PkcePair.random(12));
        query.put("nonce", PkcePair.random(12));
        query.put("code_challenge", pkce.challenge());
        query.put("code_challenge_method", "S256");
        if (silent) {
            query.put("prompt", "none");
        }
        if (dpopJkt != null) {
            query.put("dpop_jkt", dpopJkt);
        }
        String separator = provider.authorizationEndpoint().contains("?") ? "&" : "?";
        String uri = provider.authorizationEndpoint() + separator + Http.formBody(query);
        return get(uri).compose(response -> walk(uri, response, redirectUri, silent, username, password, 0))
                .map(code -> new Code(code, pkce.verifier()));
    }

    private Future<String> walk(String at, Http.Response response, String redirectUri, boolean silent,
            String username, String password, int step) {
        if (step >= MAX_STEPS) {
            return Future.failedFuture(new Failure("authorize: no redirect back within " + MAX_STEPS + " steps"));
        }
        if (response.isRedirect()) {
            String location = URI.create(at).resolve(response.location()).toString();
            if (location.startsWith(redirectUri)) {
                return Future.succeededFuture(codeFrom(location));
            }
            return get(location).compose(next -> walk(location, next, redirectUri, silent, username, password, step + 1));
        }
        if (response.status() != 200) {
            // A server that says when to come back (503 with Retry-After) is told apart from one that does not.
            String retryAfter = response.headers().get("Retry-After");
            return Future.failedFuture(new Failure("authorize: http " + response.status()
                    + (retryAfter == null ? "" : " Retry-After " + retryAfter)));
        }
        if (silent) {
            return Future.failedFuture(new Failure("authorize: a page where prompt=none needs none"));
        }
        Document page = Jsoup.parse(response.body(), at);
        Element form = page.selectFirst("form:has(input[type=password])");
        Map<String, String> fields;
        if (form != null) {
            fields = fields(form);
            Element user = form.selectFirst("input[name=username], input[type=email], input[type=text]");
            fields.put(user == null ? "username" : user.attr("name"), username);
            fields.put(form.selectFirst("input[type=password]").attr("name"), password);
        } else {
            form = page.selectFirst("form:has([value=approve])");
            if (form == null) {
                return Future.failedFuture(new Failure("authorize: a page with neither login nor consent form"));
            }
            fields = fields(form);
            Element approve = form.selectFirst("[value=approve]");
            if (approve.hasAttr("name")) {
                fields.put(approve.attr("name"), approve.val());
            }
        }
        String action = form.absUrl("action").isEmpty() ? at : form.absUrl("action");
        return post(action, fields).compose(next -> walk(action, next, redirectUri, silent, username, password, step + 1));
    }

    private static String codeFrom(String location) {
        Map<String, String> params = new LinkedHashMap<>();
        String query = URI.create(location).getRawQuery();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        if (params.containsKey("error")) {
            throw new Failure("authorize: " + params.get("error"));
        }
        String code = params.get("code");
        if (code == null) {
            throw new Failure("authorize: redirect without code");
        }
        return code;
    }

    private static Map<String, String> fields(Element form) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (Element input : form.select("input[name]")) {
            String type = input.attr("type");
            if (!"submit".equals(type) && !"button".equals(type)
                    && !(("checkbox".equals(type) || "radio".equals(type)) && !input.hasAttr("checked"))) {
                fields.put(input.attr("name"), input.val());
            }
        }
        return fields;
    }

    private Future<Http.Response> get(String uri) {
        return http.get(uri, cookieHeader()).map(this::keepCookies);
    }

    private Future<Http.Response> post(String uri, Map<String, String> form) {
        return http.postForm(uri, cookieHeader(), form).map(this::keepCookies);
    }

    private Map<String, String> cookieHeader() {
        if (cookies.isEmpty()) {
            return Map.of();
        }
        return Map.of("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("; ")));
    }

    private Http.Response keepCookies(Http.Response response) {
        for (String setCookie : response.setCookies()) {
            String pair = setCookie.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            String lower = setCookie.toLowerCase(java.util.Locale.ROOT);
            if (value.isEmpty() || lower.contains("max-age=0") || (lower.contains("expires=") && lower.contains("1970"))) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
        return response;
    }
}
