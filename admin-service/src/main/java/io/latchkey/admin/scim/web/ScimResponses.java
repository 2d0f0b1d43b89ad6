package io.latchkey.admin.scim.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.admin.web.AdminErrorMapper;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** The headers every SCIM answer carries: the SCIM media type, the ETag of a resource, no caching of directory data. */
public final class ScimResponses {

    private ScimResponses() {
    }

    public static Response resource(int status, JsonNode body, long version) {
        return Response.status(status).type(AdminErrorMapper.SCIM_JSON).entity(ScimBodies.write(body))
                .header("ETag", ETags.of(version)).header("Cache-Control", "no-store").build();
    }

    public static Response created(JsonNode body, long version, URI location) {
        return Response.status(201).type(AdminErrorMapper.SCIM_JSON).entity(ScimBodies.write(body))
                .header("ETag", ETags.of(version)).location(location).header("Cache-Control", "no-store").build();
    }

    public static Response list(JsonNode body) {
        return Response.ok(ScimBodies.write(body)).type(AdminErrorMapper.SCIM_JSON).header("Cache-Control", "no-store").build();
    }

    public static Response notModified(long version) {
        return Response.notModified().header("ETag", ETags.of(version)).build();
    }
}
