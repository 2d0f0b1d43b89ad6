package io.latchkey.admin.scim.discovery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.admin.scim.ListResponse;
import io.latchkey.admin.scim.ScimException;
import io.latchkey.admin.scim.schema.AttributeDefinition;
import io.latchkey.admin.scim.schema.ResourceType;
import io.latchkey.admin.scim.schema.Schema;
import io.latchkey.admin.scim.schema.SchemaExtension;
import io.latchkey.admin.scim.schema.ScimSchemas;
import jakarta.ws.rs.core.UriInfo;

/**
 * The discovery documents of RFC 7644 §4 written from the schema model (RFC 7643 §5, §6, §7), so that what
 * /Schemas tells a client is what filters, PATCH and projection enforce.
 */
final class DiscoveryDocuments {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final String BASE = "scim/v2";

    private DiscoveryDocuments() {
    }

    static ObjectNode serviceProviderConfig(UriInfo uri) {
        ObjectNode config = NODES.objectNode();
        config.putArray("schemas").add(ScimSchemas.SERVICE_PROVIDER_CONFIG);
        config.putObject("patch").put("supported", true);
        config.putObject("bulk").put("supported", false).put("maxOperations", 0).put("maxPayloadSize", 0);
        config.putObject("filter").put("supported", true).put("maxResults", ListResponse.MAX_RESULTS);
        config.putObject("changePassword").put("supported", true);
        config.putObject("sort").put("supported", true);
        config.putObject("etag").put("supported", true);
        config.putArray("authenticationSchemes").addObject()
                .put("type", "oauthbearertoken")
                .put("name", "OAuth Bearer Token")
                .put("description", "An access token of this provider carrying the scim scope, from client_credentials.")
                .put("specUri", "https://www.rfc-editor.org/info/rfc6750")
                .put("primary", true);
        meta(config, "ServiceProviderConfig", uri, "ServiceProviderConfig");
        return config;
    }

    static ObjectNode resourceType(ResourceType type, UriInfo uri) {
        ObjectNode document = NODES.objectNode();
        document.putArray("schemas").add(ScimSchemas.RESOURCE_TYPE);
        document.put("id", type.id());
        document.put("name", type.name());
        document.put("endpoint", type.endpoint());
        document.put("description", type.description());
        document.put("schema", type.schema().id());
        ArrayNode extensions = document.putArray("schemaExtensions");
        for (SchemaExtension extension : type.extensions()) {
            extensions.addObject().put("schema", extension.schema().id()).put("required", extension.required());
        }
        meta(document, "ResourceType", uri, "ResourceTypes/" + type.id());
        return document;
    }

    static ObjectNode schema(Schema schema, UriInfo uri) {
        ObjectNode document = NODES.objectNode();
        document.putArray("schemas").add(ScimSchemas.SCHEMA);
        document.put("id", schema.id());
        document.put("name", schema.name());
        document.put("description", schema.description());
        ArrayNode attributes = document.putArray("attributes");
        schema.attributes().forEach(attribute -> attributes.add(attribute(attribute)));
        meta(document, "Schema", uri, "Schemas/" + schema.id());
        return document;
    }

    private static ObjectNode attribute(AttributeDefinition attribute) {
        ObjectNode document = NODES.objectNode();
        document.put("name", attribute.name());
        document.put("type", attribute.type().scimName());
        document.put("multiValued", attribute.multiValued());
        document.put("description", attribute.description());
        document.put("required", attribute.required());
        if (!attribute.canonicalValues().isEmpty()) {
            ArrayNode values = document.putArray("canonicalValues");
            attribute.canonicalValues().forEach(values::add);
        }
        if (!attribute.referenceTypes().isEmpty()) {
            ArrayNode types = document.putArray("referenceTypes");
            attribute.referenceTypes().forEach(types::add);
        }
        if (attribute.complex()) {
            ArrayNode subs = document.putArray("subAttributes");
            attribute.subAttributes().forEach(sub -> subs.add(attribute(sub)));
        } else {
            document.put("caseExact", attribute.caseExact());
        }
        document.put("mutability", attribute.mutability().scimName());
        document.put("returned", attribute.returned().scimName());
        if (!attribute.complex()) {
            document.put("uniqueness", attribute.uniqueness().scimName());
        }
        return document;
    }

    private static void meta(ObjectNode document, String resourceType, UriInfo uri, String path) {
        document.putObject("meta").put("resourceType", resourceType)
                .put("location", uri.getBaseUri().resolve(BASE + "/" + path).toString());
    }

    /** RFC 7644 §4: the discovery endpoints take no filter; one is answered 403. */
    static void refuseFilter(String filter) {
        if (filter != null) {
            throw new ScimException(403, null, "Discovery endpoints do not support filtering.");
        }
    }
}
