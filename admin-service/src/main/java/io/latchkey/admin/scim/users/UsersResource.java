package io.latchkey.admin.scim.users;

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
import java.net.URI;

/**
 * SCIM Users (RFC 7644 §3.3-3.6) at /scim/v2/Users: each a directory user. Bodies are
 * {@code application/scim+json} or {@code application/json}; answers are {@code application/scim+json} with the
 * resource's ETag, shown through the model's Projection ({@code attributes}, {@code excludedAttributes}; the
 * password never).
 */
@Path(ScimPaths.USERS)
@RequiresScope(AdminScope.SCIM)
@Consumes({"application/scim+json", MediaType.APPLICATION_JSON})
public class UsersResource {

    private static final ScimPatch PATCH = new ScimPatch(ScimSchemas.USER_TYPE);

    private final ScimUsers users;
    private final AdminCaller caller;

    public UsersResource(ScimUsers users, AdminCaller caller) {
        this.users = users;
        this.caller = caller;
    }

    @POST
    public Uni<Response> create(String body, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excluded, @Context UriInfo uri) {
        Projection projection = Projection.of(ScimSchemas.USER_TYPE, attributes, excluded);
        ObjectNode sent = ScimBodies.object(body);
        return users.create(sent, caller.actor())
                .map(row -> ScimResponses.created(projection.apply(representation(row, uri)), row.version(), location(uri, row.id())));
    }

    @GET
    public Uni<Response> list(@QueryParam("filter") String filter, @QueryParam("sortBy") String sortBy,
            @QueryParam("sortOrder") String sortOrder, @QueryParam("startIndex") String startIndex,
            @QueryParam("count") String count, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excluded, @Context UriInfo uri) {
        return list(ListRequest.of(filter, sortBy, sortOrder, startIndex, count, attributes, excluded), uri);
    }

    /** RFC 7644 §3.4.3: the query in a body, so that filters stay out of URLs and logs. */
    @POST
    @Path(".search")
    public Uni<Response> search(String body, @Context UriInfo uri) {
        return list(ListRequest.of(ScimBodies.object(body)), uri);
    }

    private Uni<Response> list(ListRequest request, UriInfo uri) {
        Projection projection = Projection.of(ScimSchemas.USER_TYPE, request.attributes(), request.excludedAttributes());
        return users.list(request).map(page -> ScimResponses.list(ListResponses.of(page.totalResults(), request.startIndex(),
                page.rows().stream().map(row -> projection.apply(representation(row, uri))).toList())));
    }

    @GET
    @Path("{id}")
    public Uni<Response> get(@PathParam("id") String id, @HeaderParam("If-None-Match") String ifNoneMatch,
            @QueryParam("attributes") String attributes, @QueryParam("excludedAttributes") String excluded,
            @Context UriInfo uri) {
        Projection projection = Projection.of(ScimSchemas.USER_TYPE, attributes, excluded);
        return users.find(id).map(row -> ifNoneMatch != null && ETags.matches(ifNoneMatch, row.version())
                ? ScimResponses.notModified(row.version())
                : ScimResponses.resource(200, projection.apply(representation(row, uri)), row.version()));
    }

    @PUT
    @Path("{id}")
    public Uni<Response> replace(@PathParam("id") String id, String body, @HeaderParam("If-Match") String ifMatch,
            @QueryParam("attributes") String attributes, @QueryParam("excludedAttributes") String excluded,
            @Context UriInfo uri) {
        Projection projection = Projection.of(ScimSchemas.USER_TYPE, attributes, excluded);
        ObjectNode sent = ScimBodies.object(body);
        return users.replace(id, sent, ifMatch, caller.actor())
                .map(row -> ScimResponses.resource(200, projection.apply(representation(row, uri)), row.version()));
    }

    /** RFC 7644 §3.5.2 through the engine's ScimPatch, on the representation a GET would show. */
    @PATCH
    @Path("{id}")
    public Uni<Response> modify(@PathParam("id") String id, String body, @HeaderParam("If-Match") String ifMatch,
            @QueryParam("attributes") String attributes, @QueryParam("excludedAttributes") String excluded,
            @Context UriInfo uri) {
        Projection projection = Projection.of(ScimSchemas.USER_TYPE, attributes, excluded);
        ObjectNode request = ScimBodies.object(body);
        return users.modify(id, ifMatch, caller.actor(), current -> PATCH.apply(current, request),
                        row -> representation(row, uri))
                .map(row -> ScimResponses.resource(200, projection.apply(representation(row, uri)), row.version()));
    }

    @DELETE
    @Path("{id}")
    public Uni<Response> delete(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch) {
        return users.delete(id, ifMatch, caller.actor()).map(x -> Response.noContent().build());
    }

    static ObjectNode representation(UserRow row, UriInfo uri) {
        return UserDocument.representation(row, location(uri, row.id()), group -> ScimPaths.of(uri, ScimPaths.GROUPS, group));
    }

    static URI location(UriInfo uri, String id) {
        return ScimPaths.of(uri, ScimPaths.USERS, id);
    }
}
