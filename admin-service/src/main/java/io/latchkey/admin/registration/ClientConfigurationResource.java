package io.latchkey.admin.registration;

import io.latchkey.model.config.LatchkeyConfig;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;

/**
 * The client configuration endpoint (RFC 7592 §2): read, replace or delete one client, with that client's
 * registration access token or an operator's access token with the {@code clients} scope ({@link RegistrationAccess}).
 */
@Path("/register/{clientId}")
public class ClientConfigurationResource {

    private final Registrations registrations;
    private final RegistrationAccess access;
    private final LatchkeyConfig config;

    public ClientConfigurationResource(Registrations registrations, RegistrationAccess access, LatchkeyConfig config) {
        this.registrations = registrations;
        this.access = access;
        this.config = config;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> read(@PathParam("clientId") String clientId, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context UriInfo request) {
        RegistrationUris uris = RegistrationUris.of(config, request);
        return access.of(authorization).flatMap(manager -> registrations.read(clientId, manager, uris)).map(ClientConfigurationResource::ok);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> update(@PathParam("clientId") String clientId, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            byte[] body, @Context UriInfo request) {
        RegistrationUris uris = RegistrationUris.of(config, request);
        return access.of(authorization)
                .flatMap(manager -> registrations.update(clientId, ClientMetadata.parse(body), manager, uris))
                .map(ClientConfigurationResource::ok);
    }

    @DELETE
    public Uni<Response> delete(@PathParam("clientId") String clientId, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return access.of(authorization).flatMap(manager -> registrations.delete(clientId, manager))
                .map(deleted -> Response.noContent().header(HttpHeaders.CACHE_CONTROL, "no-store").build());
    }

    private static Response ok(Map<String, Object> information) {
        return Response.ok(information).header(HttpHeaders.CACHE_CONTROL, "no-store").header("Pragma", "no-cache").build();
    }
}
