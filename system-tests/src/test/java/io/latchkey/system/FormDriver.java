package io.latchkey.system;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Walks the authorize leg the way a browser without JavaScript does: follows redirects on the provider,
 * fills the login form, approves the consent form, and stops at the redirect back to the client.
 * Keeps its own cookie jar because the provider's cookies are {@code __Host-} and Secure, which the JDK's
 * CookieManager would not send to an http://localhost issuer that browsers treat as secure.
 */
final class FormDriver {

    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private final Map<String, String> headers;

    FormDriver() {
        this(Map.of());
    }

    /** A browser that sends {@code headers} with every request (a traceparent, say). */
    FormDriver(Map<String, String> headers) {
        this.headers = Map.copyOf(headers);
    }

    /** Returns the URI the provider redirected back to (the client's redirect URI with code or error). */
    URI authorize(URI authorizationRequest, String redirectUri, String username, String password) {
        HttpResponse<String> response = get(authorizationRequest);
        for (int step = 0; step < 10; step++) {
            if (isRedirect(response)) {
                URI location = response.uri().resolve(response.headers().firstValue("Location").orElseThrow());
                if (location.toString().startsWith(redirectUri)) {
                    return location;
                }
                response = get(location);
                continue;
            }
            Document page = Jsoup.parse(response.body(), response.uri().toString());
            Element form = page.selectFirst("form:has(input[name=password])");
            if (form != null) {
                Map<String, String> fields = fields(form);
                fields.put(nameOf(form, "input[name=username]"), username);
                fields.put("password", password);
                response = submit(form, fields, null);
                continue;
            }
            form = page.selectFirst("form:has(button[value=approve]), form:has(input[value=approve])");
            if (form != null) {
                response = submit(form, fields(form), form.selectFirst("[value=approve]"));
                continue;
            }
            throw new AssertionError("unexpected page (" + response.statusCode() + ") at " + response.uri() + ":\n" + page.text());
        }
        throw new AssertionError("no redirect back to " + redirectUri + " within 10 steps");
    }

    /** Opens the login page of {@code authorizationRequest} and submits it once; returns the answer to the POST. */
    HttpResponse<String> loginOnce(URI authorizationRequest, String username, String password) {
        HttpResponse<String> page = get(authorizationRequest);
        Element form = Jsoup.parse(page.body(), page.uri().toString()).selectFirst("form:has(input[name=password])");
        if (form == null) {
            throw new AssertionError("no login form (" + page.statusCode() + ") at " + page.uri());
        }
        Map<String, String> fields = fields(form);
        fields.put(nameOf(form, "input[name=username]"), username);
        fields.put("password", password);
        return submit(form, fields, null);
    }

    /** The cookies the provider has set in this browser (name to value). */
    Map<String, String> cookies() {
        return Map.copyOf(cookies);
    }

    private static String nameOf(Element form, String selector) {
        Element e = form.selectFirst(selector);
        return e == null ? "username" : e.attr("name");
    }

    private static Map<String, String> fields(Element form) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (Element input : form.select("input[name]")) {
            if (!"submit".equals(input.attr("type"))) {
                fields.put(input.attr("name"), input.val());
            }
        }
        return fields;
    }

    private HttpResponse<String> submit(Element form, Map<String, String> fields, Element button) {
        if (button != null && button.hasAttr("name")) {
            fields.put(button.attr("name"), button.val());
        }
        URI action = URI.create(form.absUrl("action").isEmpty() ? form.baseUri() : form.absUrl("action"));
        String body = fields.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(action)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> get(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        headers.forEach(request::header);
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (String setCookie : response.headers().allValues("Set-Cookie")) {
                String pair = setCookie.split(";", 2)[0];
                int eq = pair.indexOf('=');
                String name = pair.substring(0, eq).trim();
                String value = pair.substring(eq + 1).trim();
                boolean expired = setCookie.toLowerCase().contains("max-age=0") || value.isEmpty();
                if (expired) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
            return response;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean isRedirect(HttpResponse<?> response) {
        return response.statusCode() >= 300 && response.statusCode() < 400 && response.headers().firstValue("Location").isPresent();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
