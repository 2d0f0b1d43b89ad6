package io.latchkey.model.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Keeps secrets out of the HTTP spans Quarkus records. The server span carries the request's query string as
 * {@code url.query}, and Latchkey's query strings carry what must not leave the process: {@code id_token_hint} at
 * /authorize and /logout, {@code state}, {@code nonce}, {@code login_hint}, SCIM filters naming people. Only the
 * parameter names stay ({@code client_id&scope&state}): enough to see what was asked, nothing to replay.
 *
 * <p>The instrumentation sets {@code url.query} before the span starts, so overwriting it here, in
 * {@link #onStart}, happens before any exporter can see the span. Request headers are not recorded at all
 * (Quarkus captures none unless configured), so Authorization, Cookie and DPoP never reach a span.
 */
@ApplicationScoped
public class TraceRedaction implements SpanProcessor {

    static final AttributeKey<String> URL_QUERY = AttributeKey.stringKey("url.query");
    static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        String query = span.getAttribute(URL_QUERY);
        if (query != null) {
            span.setAttribute(URL_QUERY, parameterNames(query));
        }
        String full = span.getAttribute(URL_FULL);
        if (full != null && full.indexOf('?') >= 0) {
            int q = full.indexOf('?');
            span.setAttribute(URL_FULL, full.substring(0, q + 1) + parameterNames(full.substring(q + 1)));
        }
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }

    /** {@code a=1&b=2&c} becomes {@code a&b&c}; a fragment never reaches a server. */
    static String parameterNames(String query) {
        return Arrays.stream(query.split("&"))
                .filter(p -> !p.isEmpty())
                .map(p -> p.indexOf('=') < 0 ? p : p.substring(0, p.indexOf('=')))
                .collect(Collectors.joining("&"));
    }
}
