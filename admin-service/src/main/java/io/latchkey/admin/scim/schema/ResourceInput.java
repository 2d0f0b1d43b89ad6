package io.latchkey.admin.scim.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.admin.scim.ScimException;
import io.latchkey.admin.scim.path.AttrPath;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The body of a POST or PUT (RFC 7644 §3.3, §3.5.1) read against the model: what a client may write, in the
 * model's spelling, with the schemas it implies. readOnly attributes (id, meta, groups) are ignored as RFC 7643
 * §2.2 asks, since storage sets them; a value of the wrong type or a missing required attribute is 400
 * invalidValue; an attribute the model does not know, or no core schema in {@code schemas}, 400 invalidSyntax;
 * on PUT an immutable attribute that already holds a value must not change (400 mutability). The writeOnly
 * password stays in the result for storage to take out and hash.
 */
public final class ResourceInput {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ResourceInput() {
    }

    /** A POST body. */
    public static ObjectNode forCreate(ResourceType type, JsonNode body) {
        return read(type, body, null);
    }

    /** A PUT body replacing {@code existing}. */
    public static ObjectNode forReplace(ResourceType type, JsonNode body, JsonNode existing) {
        return read(type, body, existing);
    }

    private static ObjectNode read(ResourceType type, JsonNode body, JsonNode existing) {
        if (body == null || !body.isObject()) {
            throw ScimException.badRequest("invalidSyntax", "The body is a JSON object.");
        }
        JsonNode schemas = ScimJson.field(body, "schemas");
        if (schemas == null || !schemas.isArray() || !hasText(schemas, type.schema().id())) {
            throw ScimException.badRequest("invalidSyntax", "schemas must list " + type.schema().id() + ".");
        }
        ObjectNode resource = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getKey().equalsIgnoreCase("schemas")) {
                continue;
            }
            Optional<Schema> extension = type.extension(entry.getKey());
            if (extension.isPresent()) {
                if (!entry.getValue().isObject()) {
                    throw ScimException.badRequest("invalidSyntax", extension.get().id() + " holds an object of attributes.");
                }
                ObjectNode part = NODES.objectNode();
                entry.getValue().fields().forEachRemaining(e -> attribute(type, new AttrPath(extension.get().id(), e.getKey(), null),
                        e.getValue(), part, existing));
                if (!part.isEmpty()) {
                    resource.set(extension.get().id(), part);
                }
                continue;
            }
            AttrPath path = AttrPath.parse(entry.getKey(), "invalidSyntax");
            if (path.subAttribute() != null) {
                throw ScimException.badRequest("invalidSyntax", "'" + entry.getKey() + "' is not an attribute name.");
            }
            ResolvedAttribute resolved = known(type, path);
            if (resolved.extension()) {
                ObjectNode part = resource.has(resolved.schema().id()) ? (ObjectNode) resource.get(resolved.schema().id())
                        : NODES.objectNode();
                attribute(type, path, entry.getValue(), part, existing);
                if (!part.isEmpty()) {
                    resource.set(resolved.schema().id(), part);
                }
            } else {
                attribute(type, path, entry.getValue(), resource, existing);
            }
        }
        requireRequired(type, resource);
        ArrayNode implied = resource.putArray("schemas").add(type.schema().id());
        for (SchemaExtension extension : type.extensions()) {
            if (resource.has(extension.schema().id())) {
                implied.add(extension.schema().id());
            }
        }
        return resource;
    }

    private static ResolvedAttribute known(ResourceType type, AttrPath path) {
        return type.find(path).orElseThrow(() -> ScimException.badRequest("invalidSyntax",
                "The " + type.name() + " resource has no attribute '" + path + "'."));
    }

    private static void attribute(ResourceType type, AttrPath path, JsonNode value, ObjectNode into, JsonNode existing) {
        ResolvedAttribute resolved = known(type, path);
        AttributeDefinition definition = resolved.attribute();
        if (definition.readOnly()) {
            return;
        }
        JsonNode coerced;
        if (definition.multiValued()) {
            List<JsonNode> items = ScimValues.coerceMany(definition, value, resolved.canonical());
            ArrayNode array = NODES.arrayNode();
            items.forEach(array::add);
            ScimValues.requireOnePrimaryAtMost(definition, array);
            coerced = array;
        } else {
            coerced = ScimValues.coerce(definition, value, resolved.canonical());
        }
        if (existing != null && definition.mutability() == Mutability.IMMUTABLE) {
            JsonNode before = resolved.valueIn(existing);
            if (!ScimJson.empty(before) && !before.equals(coerced)) {
                throw ScimException.badRequest("mutability", resolved.canonical() + " is immutable and already set.");
            }
        }
        if (!ScimJson.empty(coerced)) {
            into.set(definition.name(), coerced);
        }
    }

    private static void requireRequired(ResourceType type, ObjectNode resource) {
        for (AttributeDefinition attribute : type.schema().attributes()) {
            if (attribute.required() && !attribute.readOnly() && ScimJson.empty(resource.get(attribute.name()))) {
                throw ScimException.badRequest("invalidValue", attribute.name() + " is required.");
            }
        }
        for (SchemaExtension extension : type.extensions()) {
            JsonNode part = resource.get(extension.schema().id());
            if (extension.required() && part == null) {
                throw ScimException.badRequest("invalidValue", extension.schema().id() + " is required.");
            }
            for (AttributeDefinition attribute : extension.schema().attributes()) {
                if (part != null && attribute.required() && !attribute.readOnly() && ScimJson.empty(part.get(attribute.name()))) {
                    throw ScimException.badRequest("invalidValue", extension.schema().id() + ":" + attribute.name() + " is required.");
                }
            }
        }
    }

    private static boolean hasText(JsonNode array, String text) {
        for (JsonNode item : array) {
            if (item.isTextual() && item.textValue().equalsIgnoreCase(text)) {
                return true;
            }
        }
        return false;
    }
}
