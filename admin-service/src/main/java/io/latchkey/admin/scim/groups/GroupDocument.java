package io.latchkey.admin.scim.groups;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.admin.scim.ScimException;
import io.latchkey.admin.scim.schema.ScimSchemas;
import io.latchkey.admin.scim.web.ETags;
import java.net.URI;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * How a SCIM Group (RFC 7643 §4.2) lives in the directory: {@code displayName} and {@code externalId} are columns
 * of {@code scim_groups}, each member a row of {@code scim_group_members} naming a user (groups of groups are not
 * supported, so a member's {@code type} may only be {@code User}).
 */
public final class GroupDocument {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private GroupDocument() {
    }

    /** What a client wrote: the member ids in the order given, without repeats. */
    public record Written(String displayName, String externalId, List<String> members) {
    }

    /**
     * Takes apart a Group the engine has read against the model (ResourceInput, ScimPatch: names in the model's
     * spelling, values of its types). That members are users only is storage's rule, checked here.
     */
    public static Written read(ObjectNode checked) {
        JsonNode displayName = checked.get("displayName");
        if (displayName == null || !displayName.isTextual() || displayName.asText().isBlank()) {
            throw ScimException.badRequest("invalidValue", "displayName is required and must be a non-empty string.");
        }
        JsonNode externalId = checked.get("externalId");
        Set<String> members = new LinkedHashSet<>();
        for (JsonNode member : checked.path("members")) {
            JsonNode value = member.get("value");
            if (value == null || !value.isTextual() || value.asText().isEmpty()) {
                throw ScimException.badRequest("invalidValue", "Each member needs the id of a user as its value.");
            }
            JsonNode type = member.get("type");
            if (type != null && type.isTextual() && !"User".equalsIgnoreCase(type.asText())) {
                throw ScimException.badRequest("invalidValue", "Members can only be users; " + value.asText() + " is a " + type.asText() + ".");
            }
            members.add(value.asText());
        }
        return new Written(displayName.asText(), externalId != null && externalId.isTextual() ? externalId.asText() : null,
                new ArrayList<>(members));
    }

    public static ObjectNode representation(GroupRow row, URI location, Function<String, URI> userRef) {
        ObjectNode group = NODES.objectNode();
        group.putArray("schemas").add(ScimSchemas.GROUP);
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
}
