package io.latchkey.token;

import io.latchkey.model.domain.GrantType;
import io.latchkey.model.form.Parameters;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.client.ClientAuthenticator;
import io.latchkey.token.cors.ClientOriginPolicy;
import io.latchkey.token.grant.GrantHandler;
import io.latchkey.token.metrics.TokenMetrics;
import io.latchkey.token.web.DeclaredParameters;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.EnumMap;
import java.util.Map;

/**
 * The token endpoint (RFC 6749 §3.2): parse the form, authenticate the client, check the parameters its
 * grant's handler declares, hand the request to that handler.
 * Every answer is {@code no-store} (§5.1); errors are written by the mapper.
 */
@Path("/token")
public class TokenResource {

    private static final DeclaredParameters ENDPOINT = DeclaredParameters.required("grant_type");

    private final Map<GrantType, GrantHandler> handlers = new EnumMap<>(GrantType.class);
    private final ClientAuthenticator authenticator;
    private final int maxFormBytes;
    private final TokenMetrics metrics;

    public TokenResource(Instance<GrantHandler> handlers, ClientAuthenticator authenticator, TokenServiceConfig config,
            TokenMetrics metrics) {
        handlers.forEach(h -> this.handlers.put(h.grantType(), h));
        this.authenticator = authenticator;
        this.maxFormBytes = config.maxFormBytes();
        this.metrics = metrics;
    }

    /** Any content type is accepted here so that a wrong one is answered with invalid_request, not 415. */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> token(@HeaderParam("Content-Type") String contentType,
            @HeaderParam("Authorization") String authorization, byte[] body, RoutingContext context) {
        return Uni.createFrom().deferred(() -> {
            Parameters form = Parameters.parseForm(contentType, body, maxFormBytes);
            String grantTypeName = ENDPOINT.check(form).single("grant_type").orElseThrow();
            GrantHandler handler = GrantType.of(grantTypeName).map(handlers::get).orElseThrow(() ->
                    OAuthError.UNSUPPORTED_GRANT_TYPE.withDescription("grant_type is not supported."));
            Parameters credentials = DeclaredParameters.CLIENT_AUTHENTICATION.check(form);
            return authenticator.authenticate(authorization, credentials).flatMap(client -> {
                ClientOriginPolicy.restrictTo(context, client);
                if (!client.allows(handler.grantType())) {
                    throw OAuthError.UNAUTHORIZED_CLIENT.withDescription(
                            "The client is not registered for grant_type " + handler.grantType().value() + ".");
                }
                // After authentication, so that a client that failed it learns nothing about its request.
                Parameters grant = handler.parameters().check(form);
                return handler.handle(grant, client).invoke(tokens -> metrics.issued(handler.grantType()));
            });
        }).map(tokens -> Response.ok(tokens.json(), MediaType.APPLICATION_JSON_TYPE)
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache")
                .build());
    }
}
