package io.latchkey.token.web;

import io.latchkey.model.dpop.Dpop;
import io.latchkey.model.dpop.DpopChallenge;
import io.latchkey.model.dpop.DpopException;
import io.latchkey.model.oauth.BearerChallenge;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import io.latchkey.token.TokenServiceConfig;
import io.latchkey.token.metrics.TokenMetrics;
import jakarta.ws.rs.WebApplicationException;
import java.io.IOException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place token-service writes an error: the RFC 6749 §5.2 JSON body, {@code no-store}, the
 * challenge RFC 6749 §5.2 asks for with 401 invalid_client, the RFC 6750 §3 challenge for bearer
 * errors (RFC 9449 §7.1's DPoP challenge for DPoP ones), {@code DPoP-Nonce} with use_dpop_nonce only (RFC 9449 §8),
 * and Retry-After with 503. Nothing internal reaches the client: a failure that is not a
 * protocol error is a server_error whose detail goes to the log only.
 */
public class OAuthExceptionMapper {

    private static final Logger LOG = Logger.getLogger(OAuthExceptionMapper.class);
    /** The protection space of both challenges (RFC 7235 §2.2). */
    static final String REALM = "latchkey";

    private final TokenServiceConfig config;
    private final TokenMetrics metrics;

    public OAuthExceptionMapper(TokenServiceConfig config, TokenMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    @ServerExceptionMapper
    public Response map(Throwable failure, UriInfo uri) {
        if (failure instanceof WebApplicationException web && !(failure instanceof OAuthException)
                && web.getResponse().getStatus() < 500) {
            // Routing answers of the framework (404, 405): nothing protocol-specific to add.
            return Response.fromResponse(web.getResponse()).header("Cache-Control", "no-store").build();
        }
        OAuthException error = failure instanceof IOException unreadable
                // The request body broke off: the client's doing.
                ? new OAuthException(OAuthError.INVALID_REQUEST, "The request body could not be read.", unreadable)
                : OAuthException.from(failure);
        log(error, failure);
        metrics.error(error.error(), uri.getPath());
        Response.ResponseBuilder response = Response.status(error instanceof BearerTokenException bearer ? bearer.status() : error.error().status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache");
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error.error().code());
        if (error.description() != null) {
            body.put("error_description", error.description());
        }
        if (error instanceof BearerTokenException bearer) {
            response.header("WWW-Authenticate", bearer.dpopScheme()
                    ? DpopChallenge.of(REALM, bearer.error().code(), bearer.description())
                    : bearerChallenge(bearer));
        } else if (error.error() == OAuthError.INVALID_CLIENT) {
            response.header("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
        }
        if (error instanceof DpopException dpop) {
            dpop.nonce().ifPresent(nonce -> response.header(Dpop.NONCE_HEADER, nonce));
        }
        if (error.error() == OAuthError.TEMPORARILY_UNAVAILABLE) {
            response.header("Retry-After", Integer.toString(config.retryAfterSeconds()));
        }
        return response.entity(body).build();
    }

    /** RFC 6750 §3: {@code Bearer realm="…", error="…", error_description="…"}; no error code without a token. */
    static String bearerChallenge(BearerTokenException bearer) {
        return bearer.tokenPresented() ? BearerChallenge.of(REALM, bearer.error().code(), bearer.description(), null)
                : BearerChallenge.of(REALM, null, null, null);
    }

    private static void log(OAuthException error, Throwable failure) {
        switch (error.error()) {
            case SERVER_ERROR -> LOG.error("server_error: " + error.description(), error.getCause() != null ? error.getCause() : failure);
            // One line, no stack: an outage would otherwise flood the log with identical traces.
            case TEMPORARILY_UNAVAILABLE -> LOG.warnf("temporarily_unavailable: %s",
                    error.getCause() != null ? error.getCause().getMessage() : error.description());
            default -> LOG.debugf("%s: %s", error.error().code(), error.description());
        }
    }
}
