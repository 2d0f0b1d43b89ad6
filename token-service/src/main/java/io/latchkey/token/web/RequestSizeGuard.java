package io.latchkey.token.web;

import io.latchkey.token.TokenServiceConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses a body announced larger than {@code token-service.max-form-bytes} with RFC 6749 invalid_request
 * before it is read, instead of Quarkus' bare 413. A chunked body (no Content-Length) is measured by
 * FormBody once read; only one that grows past {@code quarkus.http.limits.max-body-size} still meets
 * Quarkus' 413, which is written while the body is read, before any application code can answer.
 */
@ApplicationScoped
public class RequestSizeGuard {

    private static final String TOO_LARGE = "{\"error\":\"invalid_request\",\"error_description\":\"The request body is too large.\"}";

    private final long maxBytes;

    public RequestSizeGuard(TokenServiceConfig config) {
        this.maxBytes = config.maxFormBytes();
    }

    /** After the CORS handler (order -1000), so that the refusal still carries CORS headers. */
    void install(@Observes Router router) {
        router.route().order(-900).handler(this::handle);
    }

    void handle(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && exceeds(length)) {
            context.response().setStatusCode(400)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader("Cache-Control", "no-store")
                    .putHeader("Pragma", "no-cache")
                    // The unread body makes the connection unusable for another request.
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .end(TOO_LARGE);
            return;
        }
        context.next();
    }

    private boolean exceeds(String length) {
        try {
            return Long.parseLong(length.trim()) > maxBytes;
        } catch (NumberFormatException e) {
            return true;
        }
    }
}
