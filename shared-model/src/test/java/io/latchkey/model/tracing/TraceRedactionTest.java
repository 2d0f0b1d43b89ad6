package io.latchkey.model.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What an exporter sees of a span whose query string carried an id_token_hint. */
class TraceRedactionTest {

    private final List<SpanData> ended = new CopyOnWriteArrayList<>();

    private Tracer tracer() {
        SpanProcessor collect = new SpanProcessor() {
            @Override
            public void onStart(Context parent, ReadWriteSpan span) {
            }

            @Override
            public boolean isStartRequired() {
                return false;
            }

            @Override
            public void onEnd(ReadableSpan span) {
                ended.add(span.toSpanData());
            }

            @Override
            public boolean isEndRequired() {
                return true;
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
        return SdkTracerProvider.builder().addSpanProcessor(new TraceRedaction()).addSpanProcessor(collect).build().get("test");
    }

    @Test
    void serverSpanWithQueryThenOnlyParameterNamesReachTheExporter() {
        tracer().spanBuilder("GET /logout")
                .setAttribute("url.path", "/logout")
                .setAttribute("url.query", "id_token_hint=eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln&state=xyz&&flag")
                .startSpan().end();
        assertThat(ended).singleElement().satisfies(span -> {
            assertThat(span.getAttributes().get(AttributeKey.stringKey("url.query"))).isEqualTo("id_token_hint&state&flag");
            assertThat(span.getAttributes().get(AttributeKey.stringKey("url.path"))).isEqualTo("/logout");
            assertThat(span.getAttributes().toString()).doesNotContain("eyJ").doesNotContain("xyz");
        });
    }

    @Test
    void clientSpanWithFullUrlThenItsQueryValuesDropped() {
        tracer().spanBuilder("GET").setAttribute("url.full", "https://idp.example/cb?code=secret-code&state=s").startSpan().end();
        assertThat(ended).singleElement().satisfies(span -> assertThat(span.getAttributes().get(AttributeKey.stringKey("url.full")))
                .isEqualTo("https://idp.example/cb?code&state"));
    }
}
