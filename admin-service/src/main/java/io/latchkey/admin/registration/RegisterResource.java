package io.latchkey.admin.registration;

import io.latchkey.admin.auth.AdminCaller;
import io.latchkey.admin.auth.AdminScope;
import io.latchkey.admin.auth.AdminTokens;
import io.latchkey.model.config.LatchkeyConfig;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * The client registration endpoint (RFC 7591 §3). A registration needs an initial access token: one of Latchkey's
 * access tokens with the {@code clients} scope, so the operator decides who may register clients. With
 * {@code latchkey.registration.open=true} a request without one is taken too; a token that is sent is still checked.
 */
@Path("/register")
public class RegisterResource {

    private final Registrations registrations;
    private final AdminTokens tokens;
    private final LatchkeyConfig config;

    public RegisterResource(Registrations registrations, AdminTokens tokens, LatchkeyConfig config) {
        this.registrations = registrations;
        this.tokens = tokens;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> register(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body,
            @Context UriInfo request) {
        boolean anonymous = config.registration().open() && (authorization == null || authorization.isBlank());
        Uni<String> actor = anonymous ? Uni.createFrom().item((String) null)
                : tokens.verify(authorization, AdminScope.CLIENTS).map(AdminCaller::actorOf);
        RegistrationUris uris = RegistrationUris.of(config, request);
        return actor.flatMap(who -> registrations.register(ClientMetadata.parse(body), who, uris))
                .map(information -> Response.status(Response.Status.CREATED).entity(information)
                        // RFC 7591 §3.2.1: the answer carries credentials.
                        .header(HttpHeaders.CACHE_CONTROL, "no-store").header("Pragma", "no-cache").build());
    }
}
