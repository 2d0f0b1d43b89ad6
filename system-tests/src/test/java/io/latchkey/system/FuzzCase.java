package io.latchkey.system;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * One generated malformed request: a valid-looking base request of an endpoint, mutated by a seeded
 * {@link Random}. Values are kept as wire text (already percent-encoded where they must be), so that
 * broken encodings reach the server as they are.
 */
final class FuzzCase {

    /** What an endpoint's requests look like when nothing is wrong with them. */
    record Target(String name, int port, String path, List<String> methods, Map<String, String> params,
            Map<String, String> headers, List<String> mustBreakOne, List<String> tokens) {
    }

    enum Body { FORM, JSON, TEXT, MULTIPART, NONE, FORM_LATIN1 }

    final Target target;
    final long seed;
    String method;
    final List<String[]> params = new ArrayList<>();
    final List<String[]> headers = new ArrayList<>();
    Body body = Body.FORM;
    boolean raw;
    boolean truncated;
    boolean invalidBytes;
    boolean chunkedGarbage;
    boolean noHost;
    final List<String> mutations = new ArrayList<>();

    private FuzzCase(Target target, long seed) {
        this.target = target;
        this.seed = seed;
    }

    static FuzzCase generate(Target target, long seed) {
        Random r = new Random(seed);
        FuzzCase c = new FuzzCase(target, seed);
        c.method = target.methods().get(r.nextInt(target.methods().size()));
        target.params().forEach((k, v) -> c.params.add(new String[] {k, Wire.enc(v)}));
        target.headers().forEach((k, v) -> c.headers.add(new String[] {k, v}));

        if (!target.mustBreakOne().isEmpty()) {
            c.breakOne(r);
        }
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            c.mutate(r);
        }
        if (r.nextInt(100) < 5) {
            c.method = pick(r, "GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE");
            c.mutations.add("method " + c.method);
        }
        if (r.nextInt(100) < 15) {
            c.body = Body.values()[1 + r.nextInt(Body.values().length - 1)];
            c.mutations.add("body " + c.body);
        }
        if (r.nextInt(100) < 12) {
            c.raw = true;
            switch (r.nextInt(5)) {
                case 0 -> { c.truncated = true; c.mutations.add("truncated body"); }
                case 1 -> { c.invalidBytes = true; c.mutations.add("invalid UTF-8 bytes"); }
                case 2 -> { c.chunkedGarbage = true; c.mutations.add("broken chunked body"); }
                case 3 -> { c.noHost = true; c.mutations.add("no Host"); }
                default -> {
                    c.headers.add(new String[] {"Content-Type", pick(r, "application/json", "text/plain", "application/x-www-form-urlencoded")});
                    c.mutations.add("duplicate Content-Type");
                }
            }
        }
        return c;
    }

    /** Makes sure the request cannot be a valid one (a form that would sign in or mint a code). */
    private void breakOne(Random r) {
        int choice = r.nextInt(target.mustBreakOne().size() + 1);
        if (choice == target.mustBreakOne().size()) {
            headers.removeIf(h -> h[0].equals("Cookie"));
            if (r.nextBoolean()) {
                headers.add(new String[] {"Cookie", pick(r, "__Host-lk_browser=forged", "__Host-lk_browser=", "a=b; c", "__Host-lk_browser=" + Values.any(r))});
            }
            mutations.add("cookie broken");
            return;
        }
        String name = target.mustBreakOne().get(choice);
        if (r.nextBoolean()) {
            params.removeIf(p -> p[0].equals(name));
            mutations.add("drop " + name);
        } else {
            String value = Values.wire(r, target.tokens());
            params.replaceAll(p -> p[0].equals(name) ? new String[] {name, value} : p);
            mutations.add("replace " + name);
        }
    }

    private void mutate(Random r) {
        switch (r.nextInt(11)) {
            case 0 -> {
                if (!params.isEmpty()) {
                    String[] p = params.remove(r.nextInt(params.size()));
                    mutations.add("drop " + p[0]);
                }
            }
            case 1, 2, 3 -> {
                if (!params.isEmpty()) {
                    int i = r.nextInt(params.size());
                    params.set(i, new String[] {params.get(i)[0], Values.wire(r, target.tokens())});
                    mutations.add("value of " + params.get(i)[0]);
                }
            }
            case 4 -> {
                if (!params.isEmpty()) {
                    String[] p = params.get(r.nextInt(params.size()));
                    params.add(r.nextInt(params.size() + 1), new String[] {p[0], r.nextBoolean() ? p[1] : Values.wire(r, target.tokens())});
                    mutations.add("repeat " + p[0]);
                }
            }
            case 5 -> {
                params.add(new String[] {Values.name(r), Values.wire(r, target.tokens())});
                mutations.add("unknown parameter");
            }
            case 6 -> {
                params.add(new String[] {pick(r, "", "=", "&", "%", "%zz", "a b", "\u00e4"), Values.wire(r, target.tokens())});
                mutations.add("odd parameter name");
            }
            case 7 -> {
                int count = pick(r, 100, 1000, 3000);
                for (int i = 0; i < count; i++) {
                    params.add(new String[] {"p" + i, "v"});
                }
                mutations.add(count + " parameters");
            }
            case 8 -> {
                String header = pick(r, "Authorization", "Cookie", "Origin", "Accept-Language", "Accept", "X-Forwarded-For", "Content-Language");
                headers.removeIf(h -> h[0].equals(header) && r.nextBoolean());
                headers.add(new String[] {header, Values.header(r, target.tokens())});
                mutations.add("header " + header);
            }
            case 9 -> {
                headers.removeIf(h -> h[0].equals("Authorization") || h[0].equals("Cookie"));
                mutations.add("no credentials");
            }
            default -> {
                headers.add(new String[] {"X-Large", "x".repeat(pick(r, 4000, 17000, 40000))});
                mutations.add("large header");
            }
        }
    }

    private String encoded() {
        return params.stream().map(p -> p[0].isEmpty() && p[1].isEmpty() ? "" : p[0] + "=" + p[1]).collect(Collectors.joining("&"));
    }

    private boolean sendsBody() {
        return !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS") && !method.equals("TRACE")
                && !method.equals("DELETE");
    }

    private String query() {
        return sendsBody() ? "" : "?" + encoded();
    }

    private String contentType() {
        return switch (body) {
            case FORM -> "application/x-www-form-urlencoded";
            case FORM_LATIN1 -> "application/x-www-form-urlencoded; charset=ISO-8859-1";
            case JSON -> "application/json";
            case TEXT -> "text/plain";
            case MULTIPART -> "multipart/form-data; boundary=fuzz";
            case NONE -> null;
        };
    }

    private byte[] bodyBytes() {
        String text = switch (body) {
            case JSON -> "{" + params.stream().map(p -> "\"" + p[0].replace("\"", "") + "\":\"" + p[1].replace("\"", "") + "\"")
                    .collect(Collectors.joining(",")) + "}";
            case MULTIPART -> "--fuzz\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\n" + encoded() + "\r\n--fu";
            default -> encoded();
        };
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The request for the JDK client, or null when only raw bytes can express it. */
    HttpRequest.Builder forClient() {
        if (raw) {
            return null;
        }
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port() + target.path() + query()));
            boolean hasBody = sendsBody();
            String type = contentType();
            if (hasBody && type != null) {
                b.header("Content-Type", type);
            }
            for (String[] h : headers) {
                b.header(h[0], h[1]);
            }
            b.method(method, hasBody ? HttpRequest.BodyPublishers.ofByteArray(bodyBytes()) : HttpRequest.BodyPublishers.noBody());
            return b.timeout(Duration.ofSeconds(20));
        } catch (IllegalArgumentException notExpressible) {
            raw = true;
            return null;
        }
    }

    byte[] rawBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String path = target.path() + query();
        StringBuilder head = new StringBuilder(method).append(' ');
        write(out, head.toString());
        write(out, path.replace(" ", "%20"));
        if (invalidBytes && !sendsBody()) {
            out.writeBytes(new byte[] {'&', 'x', '=', (byte) 0xFF, (byte) 0xC3, (byte) 0x28});
        }
        write(out, " HTTP/1.1\r\n");
        if (!noHost) {
            write(out, "Host: 127.0.0.1:" + target.port() + "\r\n");
        }
        write(out, "Connection: close\r\n");
        for (String[] h : headers) {
            write(out, h[0] + ": " + h[1].replace("\r", "").replace("\n", "") + "\r\n");
        }
        byte[] payload = new byte[0];
        if (sendsBody()) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(bodyBytes());
            if (invalidBytes) {
                b.writeBytes(new byte[] {'&', 'x', '=', (byte) 0xFF, (byte) 0xC3, (byte) 0x28, (byte) 0xE2, (byte) 0x82});
            }
            payload = b.toByteArray();
            String type = contentType();
            if (type != null) {
                write(out, "Content-Type: " + type + "\r\n");
            }
        }
        if (chunkedGarbage) {
            write(out, "Transfer-Encoding: chunked\r\n\r\n");
            write(out, "5\r\nabc\r\nZZ\r\n" + new String(payload, StandardCharsets.ISO_8859_1) + "\r\n0\r\n\r\n");
            return out.toByteArray();
        }
        if (truncated) {
            write(out, "Content-Length: " + (payload.length + 100) + "\r\n\r\n");
        } else {
            write(out, "Content-Length: " + payload.length + "\r\n\r\n");
        }
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The parameters as the server decodes them (leniently), to tell an echoed value from a leak. */
    String decodedParams() {
        StringBuilder sb = new StringBuilder();
        for (String[] p : params) {
            for (String part : p) {
                try {
                    sb.append(java.net.URLDecoder.decode(part, StandardCharsets.UTF_8)).append('&');
                } catch (IllegalArgumentException broken) {
                    sb.append(part).append('&');
                }
            }
        }
        return sb.toString();
    }

    String describe() {
        String p = encoded();
        return target.name() + " seed=" + seed + " " + method + (raw ? " (raw)" : "") + " " + mutations
                + " params=" + (p.length() > 300 ? p.substring(0, 300) + "…" : p)
                + " headers=" + headers.stream().map(h -> h[0] + ": " + (h[1].length() > 60 ? h[1].substring(0, 60) + "…" : h[1]))
                .collect(Collectors.toList());
    }

    @SafeVarargs
    static <T> T pick(Random r, T... options) {
        return options[r.nextInt(options.length)];
    }

    /** The values the generator draws from: boundaries, encodings, injections and near-misses of real values. */
    static final class Values {

        private static final String[] FIXED = {
            "", " ", "a", "0", "-1", "99999999999999999999", "1e309", "NaN", "null", "true", "[]", "{}", "\"",
            "S256", "plain", "code", "token", "id_token", "code id_token", "none", "login", "consent", "none login",
            "query", "fragment", "form_post", "openid", "openid profile email offline_access", "openid unknown", "api",
            "demo-spa", "demo-native", "demo-backend", "nobody", "approve", "deny", "yes", "alice", "ALICE", "bob",
            "authorization_code", "refresh_token", "client_credentials", "password", "implicit",
            "urn:ietf:params:oauth:grant-type:device_code", "access_token", "refresh_token ",
            "https://evil.example/cb", "http://127.0.0.1:1/evil", "http://127.0.0.1/callback/../evil", "javascript:alert(1)",
            "//evil.example", "http://localhost:5173/callback.html.evil.example", "http://localhost:5173/callback.html?x=1",
            "http://localhost:5173/callback.html#f", "HTTP://127.0.0.1/callback", "http://[::1]/callback",
            "http://localhost/callback", "io.latchkey.demo:/callback", "io.latchkey.demo:/callback/../x",
            "http://127.0.0.1:8080/callback", "http://localhost:5173/", "https://evil.example/",
            "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "' OR '1'='1", "../../../../etc/passwd",
            "${jndi:ldap://127.0.0.1:1/a}", "{{7*7}}", "%s%s%s%n", "\u0000", "\r\nSet-Cookie: x=y", "\t", "\u00e4\u00f6\u00fc",
            "\uD83D\uDE00", "\uFFFF", "\u202E", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "a.b.c", "....",
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjX+", "AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB",
            "de", "de-DE", "*", "en;q=abc", "\u00e4;q=1"
        };
        private static final String[] LITERAL = {
            "%", "%zz", "%G1", "%C3%28", "%FF%FE", "%00", "%0d%0a", "%E2%82", "%ED%A0%80", "%2e%2e%2f", "+", "%2B", "a%20b", "%%",
            "%u0041", "%C0%AF"
        };
        private static final int[] LENGTHS = {1, 2, 42, 43, 44, 127, 128, 129, 255, 256, 257, 1000, 4096, 8193, 20000, 70000};

        private Values() {
        }

        static String any(Random r) {
            return switch (r.nextInt(4)) {
                case 0 -> FIXED[r.nextInt(FIXED.length)];
                case 1 -> random(r, LENGTHS[r.nextInt(LENGTHS.length)], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~");
                case 2 -> random(r, 1 + r.nextInt(64), "abc\u00e4\u00df\u4e2d\uD83D\uDE00 <>\"'&=;%+#?/\\\u0001\u007f");
                default -> Integer.toString(r.nextInt());
            };
        }

        /** A value as it goes on the wire: most percent-encoded, some literal broken encodings. */
        static String wire(Random r, List<String> tokens) {
            int roll = r.nextInt(10);
            if (roll == 0) {
                return LITERAL[r.nextInt(LITERAL.length)];
            }
            if (roll == 1 && !tokens.isEmpty()) {
                return Wire.enc(nearMiss(r, tokens.get(r.nextInt(tokens.size()))));
            }
            return Wire.enc(any(r));
        }

        /** A real token, code or id, or a copy of it with one character changed, cut or extended. */
        static String nearMiss(Random r, String real) {
            if (real.isEmpty()) {
                return real;
            }
            return switch (r.nextInt(4)) {
                case 0 -> real;
                case 1 -> {
                    char[] chars = real.toCharArray();
                    int i = r.nextInt(chars.length);
                    chars[i] = chars[i] == 'A' ? 'B' : 'A';
                    yield new String(chars);
                }
                case 2 -> real.substring(0, r.nextInt(real.length()));
                default -> real + pick(r, "x", ".", "=", " ", "\u00e4");
            };
        }

        static String header(Random r, List<String> tokens) {
            String token = tokens.isEmpty() ? "x" : nearMiss(r, tokens.get(r.nextInt(tokens.size())));
            String value = switch (r.nextInt(8)) {
                case 0 -> "Bearer " + token;
                case 1 -> "Bearer";
                case 2 -> "Basic " + pick(r, "!!!", "YQ==", "Og==", java.util.Base64.getEncoder().encodeToString(
                        (any(r) + ":" + any(r)).getBytes(StandardCharsets.UTF_8)), Wire.basic("demo-backend", any(r)).substring(6));
                case 3 -> "Digest username=\"x\"";
                case 4 -> "__Host-lk_browser=" + any(r) + "; __Host-lk_session=" + any(r);
                case 5 -> "http://" + pick(r, "evil.example", "localhost:5173", "127.0.0.1") ;
                default -> any(r);
            };
            // Header values cannot carry control characters; the generator keeps them printable.
            return value.replaceAll("[\\p{Cntrl}]", "").replaceAll("[^\\x20-\\x7e]", "?");
        }

        static String name(Random r) {
            return random(r, 1 + r.nextInt(20), "abcdefghijklmnopqrstuvwxyz_");
        }

        private static String random(Random r, int length, String alphabet) {
            StringBuilder sb = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            return sb.toString();
        }
    }

    static Map<String, String> map(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
