package io.latchkey.admin.scim.groups;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.admin.scim.ScimException;
import io.latchkey.admin.scim.web.ETags;
import java.net.URI;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * How a SCIM Group (RFC 7643 §4.2) lives in the directory: {@code displayName} and {@code externalId} are columns
 * of {@code scim_groups}, each member a row of {@code scim_group_members} naming a user (groups of groups are not
 * supported, so a member's {@code type} may only be {@code User}).
 */
public final class GroupDocument {

    public static final String GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private GroupDocument() {
    }

    /** What a client wrote: the member ids in the order given, without repeats. */
    public record Written(String displayName, String externalId, List<String> members) {
    }

    public static Written read(ObjectNode sent) {
        ObjectNode doc = lowerCaseNames(sent);
        JsonNode schemas = doc.get("schemas");
        if (schemas != null && !(schemas.isArray() && containsText(schemas, GROUP_SCHEMA))) {
            throw ScimException.badRequest("invalidValue", "schemas must list " + GROUP_SCHEMA + ".");
        }
        JsonNode displayName = doc.get("displayname");
        if (displayName == null || !displayName.isTextual() || displayName.asText().isBlank()) {
            throw ScimException.badRequest("invalidValue", "displayName is required and must be a non-empty string.");
        }
        JsonNode externalId = doc.get("externalid");
        if (externalId != null && !externalId.isNull() && !externalId.isTextual()) {
            throw ScimException.badRequest("invalidValue", "externalId must be a string.");
        }
        Set<String> members = new LinkedHashSet<>();
        JsonNode sentMembers = doc.get("members");
        if (sentMembers != null && !sentMembers.isNull()) {
            if (!sentMembers.isArray()) {
                throw ScimException.badRequest("invalidValue", "members must be an array.");
            }
            for (JsonNode member : sentMembers) {
                JsonNode value = member.get("value");
                if (!member.isObject() || value == null || !value.isTextual() || value.asText().isEmpty()) {
                    throw ScimException.badRequest("invalidValue", "Each member needs the id of a user as its value.");
                }
                JsonNode type = member.get("type");
                if (type != null && !type.isNull() && !"User".equalsIgnoreCase(type.asText())) {
                    throw ScimException.badRequest("invalidValue", "Members can only be users; " + value.asText() + " is a " + type.asText() + ".");
                }
                members.add(value.asText());
            }
        }
        return new Written(displayName.asText(), externalId == null || externalId.isNull() ? null : externalId.asText(),
                new ArrayList<>(members));
    }

    public static ObjectNode representation(GroupRow row, URI location, Function<String, URI> userRef) {
        ObjectNode group = NODES.objectNode();
        group.putArray("schemas").add(GROUP_SCHEMA);
        group.put("id", row.id());
        if (row.externalId() != null) {
            group.put("externalId", row.externalId());
        }
        group.put("displayName", row.displayName());
        ArrayNode members = group.putArray("members");
        for (JsonNode member : row.members()) {
            String id = member.path("value").asText();
            members.addObject().put("value", id).put("$ref", userRef.apply(id).toString())
                    .put("display", member.path("display").asText()).put("type", "User");
        }
        ObjectNode meta = group.putObject("meta");
        meta.put("resourceType", "Group");
        meta.put("created", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(row.created()));
        meta.put("lastModified", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(row.lastModified()));
        meta.put("location", location.toString());
        meta.put("version", ETags.of(row.version()));
        return group;
    }

    /** SCIM attribute names are case-insensitive (RFC 7643 §2.1); a Group's are read lower-cased here. */
    private static ObjectNode lowerCaseNames(ObjectNode node) {
        ObjectNode copy = NODES.objectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey().toLowerCase(Locale.ROOT);
            if (copy.has(name)) {
                throw ScimException.badRequest("invalidSyntax", "The attribute " + field.getKey() + " is given twice.");
            }
            JsonNode value = field.getValue();
            if (value instanceof ArrayNode array) {
                ArrayNode lowered = NODES.arrayNode();
                array.forEach(element -> lowered.add(element instanceof ObjectNode object ? lowerCaseNames(object) : element));
                value = lowered;
            }
            copy.set(name, value);
        }
        return copy;
    }

    private static boolean containsText(JsonNode array, String text) {
        for (JsonNode element : array) {
            if (element.isTextual() && element.asText().equalsIgnoreCase(text)) {
                return true;
            }
        }
        return false;
    }
}
