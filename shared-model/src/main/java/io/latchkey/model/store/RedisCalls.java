package io.latchkey.model.store;

import io.latchkey.model.config.LatchkeyConfig;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.List;

/**
 * The guard every store puts around a Redis call ({@link CallGuard}): the deadline {@code latchkey.redis.timeout},
 * Redis failures as {@link StoreException#unavailable}, timed as {@code latchkey_redis_calls_seconds}.
 *
 * <p>Inside a traced request each call is also a client span, named after the command ({@code GET}) or the script
 * ({@code redeem-code}); Quarkus' own Redis instrumentation is off (quarkus.otel.instrument.vertx-redis-client), as
 * it names every script {@code EVALSHA}. A span carries no key and no argument: keys hold session ids, subjects and
 * hashes of codes. Calls outside a traced request (periodic refreshes, start-up) and every call while tracing is off
 * open no span at all.
 */
@ApplicationScoped
public class RedisCalls {

    private static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system.name");
    private static final AttributeKey<String> DB_OPERATION = AttributeKey.stringKey("db.operation.name");
    private static final AttributeKey<String> DB_SCRIPT = AttributeKey.stringKey("db.stored_procedure.name");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private final CallGuard guard;
    private final Tracer tracer;

    /** Outside Quarkus (plain tests, tools): no tracing. */
    public RedisCalls(LatchkeyConfig config) {
        this(config, OpenTelemetry.noop());
    }

    @Inject
    RedisCalls(LatchkeyConfig config, Instance<OpenTelemetry> openTelemetry) {
        this(config, openTelemetry.isResolvable() ? openTelemetry.get() : OpenTelemetry.noop());
    }

    private RedisCalls(LatchkeyConfig config, OpenTelemetry openTelemetry) {
        this.guard = new CallGuard("redis", "Redis calls of the stores, from sending to answer or deadline",
                () -> config.redis().timeout(), StoreException::unavailable, failure -> false);
        this.tracer = openTelemetry.getTracer("io.latchkey.redis");
    }

    /** One Redis command; {@code command} is its name as Redis knows it ({@code GET}, {@code PSETEX}). */
    public <T> Uni<T> guard(String command, Uni<T> call) {
        return traced(command, command, null, guard.guard(call));
    }

    /** One run of a Lua script, by EVALSHA (EVAL when the node has not seen it yet). */
    Uni<Response> run(RedisScript script, ReactiveRedisDataSource redis, List<String> keys, List<String> args) {
        return traced(script.name(), "EVALSHA", script.name(), guard.guard(script.run(redis, keys, args)));
    }

    private <T> Uni<T> traced(String name, String operation, String script, Uni<T> call) {
        return Uni.createFrom().deferred(() -> {
            Context parent = Context.current();
            if (!Span.fromContext(parent).getSpanContext().isValid()) {
                return call;
            }
            var builder = tracer.spanBuilder(name).setParent(parent).setSpanKind(SpanKind.CLIENT)
                    .setAttribute(DB_SYSTEM, "redis").setAttribute(DB_OPERATION, operation);
            if (script != null) {
                builder.setAttribute(DB_SCRIPT, script);
            }
            Span span = builder.startSpan();
            return call.onItemOrFailure().invoke((item, failure) -> {
                if (failure != null) {
                    // The type only: a message may quote what the call carried.
                    span.setStatus(StatusCode.ERROR).setAttribute(ERROR_TYPE, failure.getClass().getName());
                }
                span.end();
            }).onCancellation().invoke(span::end);
        });
    }
}
