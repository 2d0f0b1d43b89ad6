package io.latchkey.admin.scim.discovery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.admin.auth.AdminScope;
import io.latchkey.admin.auth.RequiresScope;
import io.latchkey.admin.scim.ListResponse;
import io.latchkey.admin.scim.ScimException;
import io.latchkey.admin.scim.schema.ScimSchemas;
import io.latchkey.admin.web.AdminErrorMapper;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

/** GET /scim/v2/ResourceTypes and /ResourceTypes/{id} (RFC 7644 §4): User (with the enterprise extension) and Group. */
@Path("/scim/v2/ResourceTypes")
@RequiresScope(AdminScope.SCIM)
@Produces({AdminErrorMapper.SCIM_JSON, MediaType.APPLICATION_JSON})
public class ResourceTypesResource {

    @GET
    @NonBlocking
    public ObjectNode list(@Context UriInfo uri, @QueryParam("filter") String filter) {
        DiscoveryDocuments.refuseFilter(filter);
        return ListResponse.all(ScimSchemas.RESOURCE_TYPES.stream().map(t -> DiscoveryDocuments.resourceType(t, uri)).toList());
    }

    @GET
    @Path("{id}")
    @NonBlocking
    public ObjectNode get(@PathParam("id") String id, @Context UriInfo uri) {
        return ScimSchemas.resourceType(id).map(t -> DiscoveryDocuments.resourceType(t, uri))
                .orElseThrow(() -> ScimException.notFound("No resource type " + id + "."));
    }
}
