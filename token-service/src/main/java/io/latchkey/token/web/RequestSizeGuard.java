package io.latchkey.token.web;

import io.latchkey.model.oauth.OAuthError;
import io.latchkey.token.TokenServiceConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.io.ByteArrayInputStream;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Bounds every request body by {@code token-service.max-form-bytes}, counted in bytes as they arrive,
 * whether announced by Content-Length or sent chunked. It reads the body itself, on the event loop, and
 * hands it to the resources as their entity stream (so no body is ever read from a blocking stream); a
 * body that would grow past the limit is not read further, and the request goes on marked, so that
 * {@link #takeBody} refuses it with invalid_request. The refusal is thus written by the one mapper, in the
 * RFC 6749 §5.2 format, and the framework's bare 413 is never met.
 */
@ApplicationScoped
public class RequestSizeGuard {

    /** Routing-context keys: the body read, or the mark of one too large to read. */
    private static final String BODY = "latchkey.body";
    private static final String TOO_LARGE = "latchkey.body-too-large";
    private static final Set<HttpMethod> WITHOUT_BODY = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final long maxBytes;

    public RequestSizeGuard(TokenServiceConfig config) {
        this.maxBytes = config.maxFormBytes();
    }

    /** After the CORS handler (order -1000), so that the refusal still carries CORS headers. */
    void install(@Observes Router router) {
        router.route().order(-900).handler(this::handle);
    }

    void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && exceeds(length)) {
            refuse(context);
            return;
        }
        if (request.isEnded() || WITHOUT_BODY.contains(request.method()) || request.version() == HttpVersion.HTTP_2) {
            // Already read while the request waited (a small body): the endpoint's parser bounds it again. A GET
            // has no body to read. An HTTP/2 stream read to its end here could no longer be paused by the resource
            // layer, which refuses the request; its body is read there, bounded by quarkus.http.limits.max-body-size,
            // and the endpoint's parser refuses anything past token-service.max-form-bytes with the JSON error.
            context.next();
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + (long) chunk.length() > maxBytes) {
                refused[0] = true;
                refuse(context);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(end -> {
            if (!refused[0]) {
                context.put(BODY, body.getBytes());
                context.next();
            }
        });
        request.resume();
    }

    /** The rest of the body stays unread, so the connection cannot carry another request: it closes after the answer. */
    private static void refuse(RoutingContext context) {
        context.request().pause();
        if (context.request().version() != HttpVersion.HTTP_2) { // HTTP/2 has no Connection header (RFC 9113 §8.2.2)
            context.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        context.put(TOO_LARGE, Boolean.TRUE);
        context.next();
    }

    private boolean exceeds(String length) {
        try {
            return Long.parseLong(length.trim()) > maxBytes;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** Before any resource reads the body: the body read above, or the refusal, which the mapper answers. */
    @ServerRequestFilter(preMatching = true)
    public void takeBody(ContainerRequestContext request, RoutingContext context) {
        if (context.get(TOO_LARGE) != null) {
            throw OAuthError.INVALID_REQUEST.withDescription("The request body is too large.");
        }
        byte[] body = context.get(BODY);
        if (body != null) {
            request.setEntityStream(new ByteArrayInputStream(body));
        }
    }
}
