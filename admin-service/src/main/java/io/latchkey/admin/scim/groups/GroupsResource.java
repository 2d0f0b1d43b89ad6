package io.latchkey.admin.scim.groups;

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

/** SCIM Groups (RFC 7644 §3.3-3.6) at /scim/v2/Groups, whose members are directory users. */
@Path(ScimPaths.GROUPS)
@RequiresScope(AdminScope.SCIM)
@Consumes({"application/scim+json", MediaType.APPLICATION_JSON})
public class GroupsResource {

    private final ScimGroups groups;
    private final AdminCaller caller;

    public GroupsResource(ScimGroups groups, AdminCaller caller) {
        this.groups = groups;
        this.caller = caller;
    }

    @POST
    public Uni<Response> create(String body, @Context UriInfo uri) {
        ObjectNode sent = ScimBodies.object(body);
        return groups.create(sent, caller.actor())
                .map(row -> ScimResponses.created(representation(row, uri), row.version(), ScimPaths.of(uri, ScimPaths.GROUPS, row.id())));
    }

    @GET
    @Path("{id}")
    public Uni<Response> get(@PathParam("id") String id, @HeaderParam("If-None-Match") String ifNoneMatch,
            @Context UriInfo uri) {
        return groups.find(id).map(row -> ifNoneMatch != null && ETags.matches(ifNoneMatch, row.version())
                ? ScimResponses.notModified(row.version())
                : ScimResponses.resource(200, representation(row, uri), row.version()));
    }

    @PUT
    @Path("{id}")
    public Uni<Response> replace(@PathParam("id") String id, String body, @HeaderParam("If-Match") String ifMatch,
            @Context UriInfo uri) {
        ObjectNode sent = ScimBodies.object(body);
        return groups.replace(id, sent, ifMatch, caller.actor())
                .map(row -> ScimResponses.resource(200, representation(row, uri), row.version()));
    }

    @DELETE
    @Path("{id}")
    public Uni<Response> delete(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch) {
        return groups.delete(id, ifMatch, caller.actor()).map(x -> Response.noContent().build());
    }

    static ObjectNode representation(GroupRow row, UriInfo uri) {
        return GroupDocument.representation(row, ScimPaths.of(uri, ScimPaths.GROUPS, row.id()),
                user -> ScimPaths.of(uri, ScimPaths.USERS, user));
    }
}
