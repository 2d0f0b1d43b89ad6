package io.latchkey.admin.scim.users;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.admin.auth.AdminCaller;
import io.latchkey.admin.auth.AdminScope;
import io.latchkey.admin.auth.RequiresScope;
import io.latchkey.admin.scim.web.ETags;
import io.latchkey.admin.scim.web.ScimBodies;
import io.latchkey.admin.scim.web.ScimPaths;
import io.latchkey.admin.scim.web.ScimResponses;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * SCIM Users (RFC 7644 §3.3-3.6) at /scim/v2/Users: each a directory user. Bodies are
 * {@code application/scim+json} or {@code application/json}; answers are {@code application/scim+json} with the
 * resource's ETag.
 */
@Path(ScimPaths.USERS)
@RequiresScope(AdminScope.SCIM)
@Consumes({"application/scim+json", MediaType.APPLICATION_JSON})
public class UsersResource {

    private final ScimUsers users;
    private final AdminCaller caller;

    public UsersResource(ScimUsers users, AdminCaller caller) {
        this.users = users;
        this.caller = caller;
    }

    @POST
    public Uni<Response> create(String body, @Context UriInfo uri) {
        ObjectNode sent = ScimBodies.object(body);
        return users.create(sent, caller.actor()).map(row -> ScimResponses.created(representation(row, uri), row.version(), location(uri, row.id())));
    }

    @GET
    @Path("{id}")
    public Uni<Response> get(@PathParam("id") String id, @HeaderParam("If-None-Match") String ifNoneMatch,
            @Context UriInfo uri) {
        return users.find(id).map(row -> ifNoneMatch != null && ETags.matches(ifNoneMatch, row.version())
                ? ScimResponses.notModified(row.version())
                : ScimResponses.resource(200, representation(row, uri), row.version()));
    }

    @PUT
    @Path("{id}")
    public Uni<Response> replace(@PathParam("id") String id, String body, @HeaderParam("If-Match") String ifMatch,
            @Context UriInfo uri) {
        ObjectNode sent = ScimBodies.object(body);
        return users.replace(id, sent, ifMatch, caller.actor())
                .map(row -> ScimResponses.resource(200, representation(row, uri), row.version()));
    }

    @DELETE
    @Path("{id}")
    public Uni<Response> delete(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch) {
        return users.delete(id, ifMatch, caller.actor()).map(x -> Response.noContent().build());
    }

    static ObjectNode representation(UserRow row, UriInfo uri) {
        return UserDocument.representation(row, location(uri, row.id()), group -> ScimPaths.of(uri, ScimPaths.GROUPS, group));
    }

    static java.net.URI location(UriInfo uri, String id) {
        return ScimPaths.of(uri, ScimPaths.USERS, id);
    }
}
