package io.latchkey.system;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * A collector's OTLP/HTTP trace endpoint (POST /v1/traces, protobuf) on a free loopback port: decodes each
 * ExportTraceServiceRequest the services send and keeps its spans, with the service.name of the resource that
 * sent them.
 */
final class OtlpReceiver implements AutoCloseable {

    /** One received span, its ids in lower-case hex as in traceparent, its attributes as strings. */
    record Received(String service, String traceId, String spanId, String parentSpanId, String name, Span.SpanKind kind,
            Map<String, String> attributes, List<String> eventTexts) {

        /** Everything a secret could hide in: the name, every attribute, every event's name and attributes. */
        String allText() {
            return name + "\n" + attributes + "\n" + String.join("\n", eventTexts);
        }
    }

    private final HttpServer server;
    private final List<Received> spans = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** What QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT is set to. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            receive(exchange);
        } catch (IOException | RuntimeException | Error e) {
            // The JDK's server would drop it silently; a receiver that cannot decode must fail the test loudly.
            failures.add(e);
            throw e;
        }
    }

    private void receive(HttpExchange exchange) throws IOException {
        {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            if (!"POST".equals(exchange.getRequestMethod()) || !"/v1/traces".equals(exchange.getRequestURI().getPath())) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            InputStream body = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(body);
            }
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body.readAllBytes());
            for (ResourceSpans resource : request.getResourceSpansList()) {
                String service = attributes(resource.getResource().getAttributesList()).getOrDefault("service.name", "?");
                for (ScopeSpans scope : resource.getScopeSpansList()) {
                    for (Span span : scope.getSpansList()) {
                        List<String> events = span.getEventsList().stream()
                                .map(e -> e.getName() + " " + attributes(e.getAttributesList())).toList();
                        spans.add(new Received(service, hex(span.getTraceId().toByteArray()), hex(span.getSpanId().toByteArray()),
                                hex(span.getParentSpanId().toByteArray()), span.getName(), span.getKind(),
                                attributes(span.getAttributesList()), events));
                    }
                }
            }
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
        }
    }

    List<Received> spans() {
        return List.copyOf(spans);
    }

    /** Every request that reached this receiver, as "METHOD /path". */
    List<String> requests() {
        return List.copyOf(requests);
    }

    /** The spans matching {@code filter}, once at least {@code count} of them arrived (exports come in batches). */
    List<Received> await(Predicate<Received> filter, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Received> matching = spans.stream().filter(filter).toList();
            if (matching.size() >= count) {
                return matching;
            }
            if (!failures.isEmpty()) {
                AssertionError failed = new AssertionError("the receiver failed to take an export");
                failures.forEach(failed::addSuppressed);
                throw failed;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " matching spans within " + timeout + ", got " + matching.size()
                        + "; all received:\n" + spans.stream().map(Received::toString).collect(Collectors.joining("\n")));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static Map<String, String> attributes(List<KeyValue> list) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (KeyValue kv : list) {
            map.put(kv.getKey(), text(kv.getValue()));
        }
        return map;
    }

    private static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case INT_VALUE -> Long.toString(value.getIntValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            case ARRAY_VALUE -> value.getArrayValue().getValuesList().stream().map(OtlpReceiver::text).toList().toString();
            case KVLIST_VALUE -> attributes(value.getKvlistValue().getValuesList()).toString();
            case BYTES_VALUE -> HexFormat.of().formatHex(value.getBytesValue().toByteArray());
            default -> "";
        };
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    static List<String> servicesOf(List<Received> spans) {
        return new ArrayList<>(spans.stream().map(Received::service).distinct().sorted().toList());
    }
}
