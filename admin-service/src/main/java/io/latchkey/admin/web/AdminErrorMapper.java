package io.latchkey.admin.web;

import io.latchkey.admin.auth.AdminAuthException;
import io.latchkey.admin.scim.ScimException;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import io.latchkey.model.store.StoreException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place admin-service writes an error, in the format of the area called: SCIM's error resource
 * (RFC 7644 §3.12) under /scim/v2, the OAuth JSON ({@code error}, {@code error_description}; RFC 7591 §3.2.2 for
 * registration) everywhere else. A missing or unacceptable token adds the RFC 6750 challenge; PostgreSQL or Redis
 * down is 503 with Retry-After (SCIM clients retry it); anything unexpected is a 500 whose detail stays in the log.
 */
public class AdminErrorMapper {

    private static final Logger LOG = Logger.getLogger(AdminErrorMapper.class);

    public static final String SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
    public static final String SCIM_JSON = "application/scim+json";
    static final String RETRY_AFTER_SECONDS = "5";

    @ServerExceptionMapper
    public Response map(Throwable failure, UriInfo uri) {
        boolean scim = uri.getPath().startsWith("/scim/");
        if (failure instanceof ScimException e) {
            return scimError(e.status(), e.scimType(), e.getMessage()).build();
        }
        if (failure instanceof AdminAuthException e) {
            Response.ResponseBuilder response = scim ? scimError(e.reason().status(), null, e.getMessage())
                    : oauthError(e.reason().status(), e.reason().error() == null ? "invalid_token" : e.reason().error(), e.getMessage());
            return response.header("WWW-Authenticate", e.challenge()).build();
        }
        if (failure instanceof StoreException e) {
            LOG.warnf("%s %s: %s", uri.getPath(), e.kind(), e.getMessage());
            Response.ResponseBuilder response = scim ? scimError(503, null, "The directory is unavailable; retry later.")
                    : oauthError(503, OAuthError.TEMPORARILY_UNAVAILABLE.code(), "The directory is unavailable; retry later.");
            return response.header("Retry-After", RETRY_AFTER_SECONDS).build();
        }
        if (failure instanceof OAuthException e && scim && e.error() == OAuthError.TEMPORARILY_UNAVAILABLE) {
            // The password workers are all busy (PasswordWorkers): SCIM clients retry a 503 after Retry-After.
            return scimError(503, null, "Too many passwords are being hashed at this moment; retry later.").header("Retry-After", RETRY_AFTER_SECONDS).build();
        }
        if (failure instanceof OAuthException e) {
            Response.ResponseBuilder response = oauthError(e.error().status(), e.error().code(), e.description());
            if (e.error() == OAuthError.TEMPORARILY_UNAVAILABLE) {
                response.header("Retry-After", RETRY_AFTER_SECONDS);
            }
            return response.build();
        }
        if (failure instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
            // Routing and media-type answers of the framework (404, 405, 406, 415), in the area's format.
            int status = web.getResponse().getStatus();
            return (scim ? scimError(status, null, web.getMessage()) : oauthError(status, "invalid_request", web.getMessage()))
                    .build();
        }
        LOG.errorf(failure, "%s failed", uri.getPath());
        return (scim ? scimError(500, null, "The server failed to process the request.")
                : oauthError(500, OAuthError.SERVER_ERROR.code(), "The server failed to process the request.")).build();
    }

    private static Response.ResponseBuilder scimError(int status, String scimType, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("schemas", List.of(SCIM_ERROR));
        body.put("status", Integer.toString(status));
        if (scimType != null) {
            body.put("scimType", scimType);
        }
        if (detail != null) {
            body.put("detail", detail);
        }
        return Response.status(status).type(SCIM_JSON).header("Cache-Control", "no-store").entity(body);
    }

    private static Response.ResponseBuilder oauthError(int status, String error, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        if (description != null) {
            body.put("error_description", description);
        }
        return Response.status(status).type("application/json").header("Cache-Control", "no-store").entity(body);
    }
}
