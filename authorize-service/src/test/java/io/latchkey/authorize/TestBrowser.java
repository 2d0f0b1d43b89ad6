package io.latchkey.authorize;

import static io.restassured.RestAssured.given;

import io.latchkey.model.pkce.Pkce;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One browser for REST Assured tests: it keeps its cookies (REST Assured would drop the Secure ones over
 * plain http) and never follows redirects, so every test sees each hop.
 */
final class TestBrowser {

    static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    static final String CHALLENGE = Pkce.s256(VERIFIER);

    final Map<String, String> cookies = new HashMap<>();

    /** Headers sent with every request, e.g. the X-Forwarded-For of a proxy in front. */
    final Map<String, String> headers = new HashMap<>();

    RequestSpecification request() {
        RequestSpecification spec = given().redirects().follow(false);
        if (!cookies.isEmpty()) {
            spec.cookies(cookies);
        }
        if (!headers.isEmpty()) {
            spec.headers(headers);
        }
        return spec;
    }

    /** GET /authorize with the given query parameters (already the exact raw query when {@code raw}). */
    Response authorize(Map<String, String> params) {
        Response response = request().queryParams(params).get("/authorize");
        keepCookies(response);
        return response;
    }

    Response authorizeRaw(String rawQuery) {
        Response response = request().urlEncodingEnabled(false).get("/authorize?" + rawQuery);
        keepCookies(response);
        return response;
    }

    Response post(String path, Map<String, String> form) {
        Response response = request().contentType("application/x-www-form-urlencoded").formParams(form).post(path);
        keepCookies(response);
        return response;
    }

    /** Submits the login form of a login page as a browser does: in UTF-8, the charset of the page. */
    Response login(Response loginPage, String username, String password) {
        Map<String, String> form = new LinkedHashMap<>(hidden(loginPage.asString()));
        form.put("username", username);
        form.put("password", password);
        Response response = request().contentType("application/x-www-form-urlencoded; charset=UTF-8").formParams(form).post("/login");
        keepCookies(response);
        return response;
    }

    Response consent(Response consentPage, String decision) {
        Map<String, String> form = new LinkedHashMap<>(hidden(consentPage.asString()));
        form.put("decision", decision);
        return post("/consent", form);
    }

    void keepCookies(Response response) {
        for (var header : response.getHeaders().getList("Set-Cookie")) {
            String cookie = header.getValue();
            String pair = cookie.split(";", 2)[0];
            String name = pair.substring(0, pair.indexOf('='));
            String value = pair.substring(pair.indexOf('=') + 1);
            if (value.isEmpty() || cookie.contains("Max-Age=0")) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
    }

    /** What a raw HTTP exchange returned. */
    record RawResponse(int status, String head, String body) {
    }

    /** Sends bytes that an HTTP client library would refuse to send (malformed escapes, raw non-ASCII). */
    static RawResponse rawGet(String target) {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            String request = "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int split = all.indexOf("\r\n\r\n");
            String head = all.substring(0, split);
            return new RawResponse(Integer.parseInt(head.split(" ")[1]), head, all.substring(split + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The standard valid request of the test client {@code spa}, to be varied by each test. */
    static Map<String, String> validRequest() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("response_type", "code");
        p.put("client_id", "spa");
        p.put("redirect_uri", "https://spa.example.com/callback");
        p.put("scope", "openid profile");
        p.put("state", "state-123");
        p.put("nonce", "nonce-456");
        p.put("code_challenge", CHALLENGE);
        p.put("code_challenge_method", "S256");
        return p;
    }

    static Map<String, String> with(Map<String, String> base, String name, String value) {
        Map<String, String> p = new LinkedHashMap<>(base);
        if (value == null) {
            p.remove(name);
        } else {
            p.put(name, value);
        }
        return p;
    }

    /** The hidden inputs of a page's form. */
    static Map<String, String> hidden(String html) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">").matcher(html);
        while (m.find()) {
            fields.put(m.group(1), m.group(2).replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'"));
        }
        return fields;
    }

    /** The error code an error page shows. */
    static String pageError(Response response) {
        Matcher m = Pattern.compile("data-error=\"([a-z_]+)\"").matcher(response.asString());
        return m.find() ? m.group(1) : null;
    }

    /** The parameters of a redirect's query (or fragment). */
    static Map<String, String> redirectParams(Response response) {
        URI location = URI.create(response.getHeader("Location"));
        String raw = location.getRawFragment() != null ? location.getRawFragment() : location.getRawQuery();
        Map<String, String> params = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                params.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return params;
    }

    static String redirectBase(Response response) {
        String location = response.getHeader("Location");
        int cut = location.indexOf('#') >= 0 ? location.indexOf('#') : location.indexOf('?');
        return cut < 0 ? location : location.substring(0, cut);
    }
}
