package io.latchkey.system;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * HTTP as the attack and fault tests need it: plain requests through the JDK client (with a deadline),
 * and raw bytes over a socket for what the JDK client refuses to send (broken request lines, invalid
 * UTF-8, truncated bodies, duplicate or missing headers).
 */
final class Wire {

    // HTTP/1.1 as browsers speak it over http://: the JDK client's default h2c upgrade, once the server
    // answered a refused upgrade with GOAWAY, left later requests on the pool waiting forever.
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** One answer, or {@code status == -1} when the server closed the connection without answering. */
    record Answer(int status, Map<String, List<String>> headers, String body, long millis) {

        Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        Map<String, Object> json() {
            try {
                return JSONObjectUtils.parse(body);
            } catch (ParseException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        String string(String field) {
            Object value = json().get(field);
            return value == null ? null : value.toString();
        }

        String error() {
            return string("error");
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
        }
    }

    private Wire() {
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static Answer postForm(String url, Map<String, String> fields, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields)));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request, Duration.ofSeconds(30));
    }

    static Answer get(String url, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request, Duration.ofSeconds(30));
    }

    static Answer send(HttpRequest.Builder request, Duration deadline) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(deadline).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), lower(response.headers().map()), response.body(),
                    Duration.ofNanos(System.nanoTime() - start).toMillis());
        } catch (IOException e) {
            throw new IllegalStateException(request.build().uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String basic(String clientId, String secret) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(
                (enc(clientId) + ":" + enc(secret)).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes {@code request} as is to 127.0.0.1:port, half-closes, and reads the answer until the server
     * closes. A server that closes without a status line gives status -1.
     */
    static Answer raw(int port, byte[] request, Duration deadline) {
        return raw(port, request, deadline, true);
    }

    /** As {@link #raw(int, byte[], Duration)}; without {@code halfClose} the request must say Connection: close. */
    static Answer raw(int port, byte[] request, Duration deadline, boolean halfClose) {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout((int) deadline.toMillis());
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
                if (halfClose) {
                    socket.shutdownOutput();
                }
            } catch (IOException closedEarly) {
                // The server may answer (413, 431) and close before the whole request is written.
            }
            byte[] bytes = readAll(socket.getInputStream(), deadline, start);
            return parse(bytes, Duration.ofNanos(System.nanoTime() - start).toMillis());
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within " + deadline + " to:\n" + preview(request), e);
        } catch (IOException e) {
            // Reset by the server: no answer at all, which is not a 5xx.
            return new Answer(-1, Map.of(), "", Duration.ofNanos(System.nanoTime() - start).toMillis());
        }
    }

    private static byte[] readAll(InputStream in, Duration deadline, long start) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) != -1) {
            out.write(buffer, 0, n);
            if (System.nanoTime() - start > deadline.toNanos()) {
                throw new SocketTimeoutException("answer still streaming after " + deadline);
            }
        }
        return out.toByteArray();
    }

    private static Answer parse(byte[] bytes, long millis) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/") || end < 0) {
            return new Answer(-1, Map.of(), text, millis);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).trim());
            }
        }
        String body = new String(bytes, StandardCharsets.ISO_8859_1).substring(end + 4);
        if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
            body = dechunk(body);
        }
        return new Answer(status, headers, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8), millis);
    }

    private static String dechunk(String body) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < body.length()) {
            int eol = body.indexOf("\r\n", at);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(body.substring(at, eol).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(body, eol + 2, Math.min(body.length(), eol + 2 + size));
            at = eol + 2 + size + 2;
        }
        return out.toString();
    }

    private static String preview(byte[] request) {
        String s = new String(request, StandardCharsets.ISO_8859_1);
        return s.length() > 500 ? s.substring(0, 500) + "…" : s;
    }

    private static Map<String, List<String>> lower(Map<String, List<String>> headers) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        headers.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
        return out;
    }
}
