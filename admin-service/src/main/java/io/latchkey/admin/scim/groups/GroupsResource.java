package io.latchkey.admin.scim.groups;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.admin.auth.AdminCaller;
import io.latchkey.admin.auth.AdminScope;
import io.latchkey.admin.auth.RequiresScope;
import io.latchkey.admin.scim.patch.ScimPatch;
import io.latchkey.admin.scim.projection.Projection;
import io.latchkey.admin.scim.schema.ScimSchemas;
import io.latchkey.admin.scim.web.ETags;
import io.latchkey.admin.scim.web.ListRequest;
import io.latchkey.admin.scim.web.ListResponses;
import io.latchkey.admin.scim.web.ScimBodies;
import io.latchkey.admin.scim.web.ScimPaths;
import io.latchkey.admin.scim.web.ScimResponses;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** SCIM Groups (RFC 7644 §3.3-3.6) at /scim/v2/Groups, whose members are directory users. */
@Path(ScimPaths.GROUPS)
@RequiresScope(AdminScope.SCIM)
@Consumes({"application/scim+json", MediaType.APPLICATION_JSON})
public class GroupsResource {

    private static final ScimPatch PATCH = new ScimPatch(ScimSchemas.GROUP_TYPE);

    private final ScimGroups groups;
    private final AdminCaller caller;

    public GroupsResource(ScimGroups groups, AdminCaller caller) {
        this.groups = groups;
        this.caller = caller;
    }

    @POST
    public Uni<Response> create(String body, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excluded, @Context UriInfo uri) {
        Projection projection = Projection.of(ScimSchemas.GROUP_TYPE, attributes, excluded);
        ObjectNode sent = ScimBodies.object(body);
        return groups.create(sent, caller.actor()).map(row -> ScimResponses.created(
                projection.apply(representation(row, uri)), row.version(), ScimPaths.of(uri, ScimPaths.GROUPS, row.id())));
    }

    @GET
    public Uni<Response> list(@QueryParam("filter") String filter, @QueryParam("sortBy") String sortBy,
            @QueryParam("sortOrder") String sortOrder, @QueryParam("startIndex") String startIndex,
            @QueryParam("count") String count, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excluded, @Context UriInfo uri) {
        return list(ListRequest.of(filter, sortBy, sortOrder, startIndex, count, attributes, excluded), uri);
    }

    @POST
    @Path(".search")
    public Uni<Response> search(String body, @Context UriInfo uri) {
        return list(ListRequest.of(ScimBodies.object(body)), uri);
    }

    private Uni<Response> list(ListRequest request, UriInfo uri) {
        Projection projection = Projection.of(ScimSchemas.GROUP_TYPE, request.attributes(), request.excludedAttributes());
        return groups.list(request).map(page -> ScimResponses.list(ListResponses.of(page.totalResults(), request.startIndex(),
                page.rows().stream().map(row -> projection.apply(representation(row, uri))).toList())));
    }

    @GET
    @Path("{id}")
    public Uni<Response> get(@PathParam("id") String id, @HeaderParam("If-None-Match") String ifNoneMatch,
            @QueryParam("attributes") String attributes, @QueryParam("excludedAttributes") String excluded,
            @Context UriInfo uri) {
        Projection projection = Projection.of(ScimSchemas.GROUP_TYPE, attributes, excluded);
        return groups.find(id).map(row -> ifNoneMatch != null && ETags.matches(ifNoneMatch, row.version())
                ? ScimResponses.notModified(row.version())
                : ScimResponses.resource(200, projection.apply(representation(row, uri)), row.version()));
    }

    @PUT
    @Path("{id}")
    public Uni<Response> replace(@PathParam("id") String id, String body, @HeaderParam("If-Match") String ifMatch,
            @QueryParam("attributes") String attributes, @QueryParam("excludedAttributes") String excluded,
            @Context UriInfo uri) {
        Projection projection = Projection.of(ScimSchemas.GROUP_TYPE, attributes, excluded);
        ObjectNode sent = ScimBodies.object(body);
        return groups.replace(id, sent, ifMatch, caller.actor())
                .map(row -> ScimResponses.resource(200, projection.apply(representation(row, uri)), row.version()));
    }

    /** Member adds and removals (including {@code members[value eq "<id>"]}) and renames, through ScimPatch. */
    @PATCH
    @Path("{id}")
    public Uni<Response> modify(@PathParam("id") String id, String body, @HeaderParam("If-Match") String ifMatch,
            @QueryParam("attributes") String attributes, @QueryParam("excludedAttributes") String excluded,
            @Context UriInfo uri) {
        Projection projection = Projection.of(ScimSchemas.GROUP_TYPE, attributes, excluded);
        ObjectNode request = ScimBodies.object(body);
        return groups.modify(id, ifMatch, caller.actor(), current -> PATCH.apply(representation(current, uri), request))
                .map(row -> ScimResponses.resource(200, projection.apply(representation(row, uri)), row.version()));
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
