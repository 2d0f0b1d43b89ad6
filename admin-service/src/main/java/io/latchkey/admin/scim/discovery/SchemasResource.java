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

/** GET /scim/v2/Schemas and /Schemas/{urn} (RFC 7644 §4, RFC 7643 §7), written from the schema model. */
@Path("/scim/v2/Schemas")
@RequiresScope(AdminScope.SCIM)
@Produces({AdminErrorMapper.SCIM_JSON, MediaType.APPLICATION_JSON})
public class SchemasResource {

    @GET
    @NonBlocking
    public ObjectNode list(@Context UriInfo uri, @QueryParam("filter") String filter) {
        DiscoveryDocuments.refuseFilter(filter);
        return ListResponse.all(ScimSchemas.SCHEMAS.stream().map(s -> DiscoveryDocuments.schema(s, uri)).toList());
    }

    @GET
    @Path("{id}")
    @NonBlocking
    public ObjectNode get(@PathParam("id") String id, @Context UriInfo uri) {
        return ScimSchemas.schema(id).map(s -> DiscoveryDocuments.schema(s, uri))
                .orElseThrow(() -> ScimException.notFound("No schema " + id + "."));
    }
}
