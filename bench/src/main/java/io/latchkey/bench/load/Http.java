package io.latchkey.bench.load;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The load generator's HTTP/1.1 client: one Vert.x event loop, keep-alive connections, no redirects
 * followed (the flows read every Location themselves). One event loop keeps the generator to one core
 * on a machine it shares with the servers it measures.
 */
public final class Http implements AutoCloseable {

    /** What a flow needs of an answer. */
    public record Response(int status, MultiMap headers, String body) {

        public String location() {
            return headers.get("Location");
        }

        public List<String> setCookies() {
            return headers.getAll("Set-Cookie");
        }

        public boolean isRedirect() {
            return status >= 300 && status < 400 && location() != null;
        }
    }

    private final Vertx vertx;
    private final HttpClient client;
    private final int timeoutMillis;

    public Http(int maxConnectionsPerServer, int timeoutMillis) {
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setPreferNativeTransport(false));
        this.client = vertx.createHttpClient(new HttpClientOptions()
                        .setKeepAlive(true)
                        .setConnectTimeout(timeoutMillis)
                        .setMaxInitialLineLength(64 * 1024)
                        .setMaxHeaderSize(64 * 1024),
                new PoolOptions().setHttp1MaxSize(maxConnectionsPerServer).setMaxWaitQueueSize(-1));
        this.timeoutMillis = timeoutMillis;
    }

    public Vertx vertx() {
        return vertx;
    }

    public Future<Response> get(String uri, Map<String, String> headers) {
        return send(HttpMethod.GET, uri, headers, null);
    }

    public Future<Response> postForm(String uri, Map<String, String> headers, Map<String, String> form) {
        MultiMap all = MultiMap.caseInsensitiveMultiMap().addAll(headers)
                .set("Content-Type", "application/x-www-form-urlencoded");
        return send(HttpMethod.POST, uri, all, Buffer.buffer(formBody(form)));
    }

    /** A JSON document (SCIM's media type, for example) as the body. */
    public Future<Response> postJson(String uri, Map<String, String> headers, String contentType, String json) {
        MultiMap all = MultiMap.caseInsensitiveMultiMap().addAll(headers).set("Content-Type", contentType);
        return send(HttpMethod.POST, uri, all, Buffer.buffer(json));
    }

    private Future<Response> send(HttpMethod method, String uri, Map<String, String> headers, Buffer body) {
        return send(method, uri, MultiMap.caseInsensitiveMultiMap().addAll(headers), body);
    }

    private Future<Response> send(HttpMethod method, String uri, MultiMap headers, Buffer body) {
        RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(uri)
                .setHeaders(headers).setIdleTimeout(timeoutMillis);
        return client.request(options)
                .compose(request -> body == null ? request.send() : request.send(body))
                .compose(response -> response.body()
                        .map(buffer -> new Response(response.statusCode(), response.headers(), buffer.toString(StandardCharsets.UTF_8))));
    }

    public static String formBody(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        client.close().toCompletionStage().toCompletableFuture().join();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
