package io.latchkey.authorize;

import io.latchkey.authorize.flow.AuthorizationRedirectException;
import io.latchkey.authorize.flow.AuthorizationResponses;
import io.latchkey.authorize.pages.Locales;
import io.latchkey.authorize.pages.Pages;
import io.latchkey.authorize.par.PushedRequestException;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place errors of this service become answers. An error whose client and redirect_uri are proven
 * goes back to the client (RFC 6749 §4.1.2.1); one of /par is JSON for the client that pushed; every other one is a
 * page for the person at the browser, with the status of its error code, and never a stack trace.
 */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    private final Pages pages;
    private final AuthorizationResponses responses;

    public ErrorMapper(Pages pages, AuthorizationResponses responses) {
        this.pages = pages;
        this.responses = responses;
    }

    @ServerExceptionMapper
    public Response redirect(AuthorizationRedirectException e, HttpServerRequest request) {
        log(e.error());
        // RFC 9700 §4.12: 303 answers a POST, so the form is not re-sent to the client.
        int status = request.method() == HttpMethod.POST ? 303 : 302;
        Response.ResponseBuilder response = Response.status(status).location(responses.error(e.target(), e.error()));
        if (e.error().error() == OAuthError.TEMPORARILY_UNAVAILABLE) {
            response.header("Retry-After", Pages.RETRY_AFTER_SECONDS);
        }
        return response.build();
    }

    /** The pushed authorization request endpoint answers its client in JSON (RFC 9126 §2.3, RFC 6749 §5.2). */
    @ServerExceptionMapper
    public Response json(PushedRequestException e) {
        OAuthException error = e.error();
        log(error);
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error.error().code());
        if (error.description() != null) {
            body.put("error_description", error.description());
        }
        Response.ResponseBuilder response = Response.status(error.error().status()).type(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Pragma", "no-cache")
                .entity(body);
        if (error.error() == OAuthError.INVALID_CLIENT) {
            // RFC 6749 §5.2: 401 comes with the challenge of the scheme the client may use.
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"latchkey\"");
        }
        if (error.error() == OAuthError.TEMPORARILY_UNAVAILABLE) {
            response.header("Retry-After", Pages.RETRY_AFTER_SECONDS);
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response page(OAuthException e, HttpHeaders headers) {
        log(e);
        return pages.error(e, locale(headers)).build();
    }

    /** JAX-RS's own refusals (unknown path, wrong method, unreadable form) in the same page format. */
    @ServerExceptionMapper
    public Response http(WebApplicationException e, HttpHeaders headers) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, headers);
        }
        String reason = Response.Status.fromStatusCode(status) == null ? "The request was refused."
                : Response.Status.fromStatusCode(status).getReasonPhrase() + ".";
        return pages.error(new OAuthException(OAuthError.INVALID_REQUEST, reason), locale(headers)).status(status).build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpHeaders headers) {
        OAuthException error = OAuthException.from(e);
        log(error);
        return pages.error(error, locale(headers)).build();
    }

    private static void log(OAuthException e) {
        if (e.error() == OAuthError.SERVER_ERROR) {
            LOG.error("Request failed: " + e.description(), e.getCause() == null ? e : e.getCause());
        } else if (e.error() == OAuthError.TEMPORARILY_UNAVAILABLE && e.getCause() != null) {
            LOG.warn("Request failed, a store is unavailable: " + e.getCause().getMessage());
        } else {
            LOG.debugf("Request refused: %s", e.getMessage());
        }
    }

    private static Locale locale(HttpHeaders headers) {
        return Locales.choose(List.of(), headers == null ? null : headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE));
    }
}
