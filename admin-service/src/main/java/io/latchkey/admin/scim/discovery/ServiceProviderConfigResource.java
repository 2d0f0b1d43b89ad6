package io.latchkey.admin.scim.discovery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.admin.auth.AdminScope;
import io.latchkey.admin.auth.RequiresScope;
import io.latchkey.admin.web.AdminErrorMapper;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

/** GET /scim/v2/ServiceProviderConfig (RFC 7644 §4): what this SCIM service supports. */
@Path("/scim/v2/ServiceProviderConfig")
@RequiresScope(AdminScope.SCIM)
public class ServiceProviderConfigResource {

    @GET
    @NonBlocking
    @Produces({AdminErrorMapper.SCIM_JSON, MediaType.APPLICATION_JSON})
    public ObjectNode get(@Context UriInfo uri, @QueryParam("filter") String filter) {
        DiscoveryDocuments.refuseFilter(filter);
        return DiscoveryDocuments.serviceProviderConfig(uri);
    }
}
