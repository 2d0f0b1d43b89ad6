package io.latchkey.admin.scim.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/** Reading SCIM JSON where names are case-insensitive (RFC 7643 §2.1): {@code UserName} is {@code userName}. */
public final class ScimJson {

    private ScimJson() {
    }

    /** The member of {@code object} named {@code name} in any case, exact spelling first; null if none. */
    public static JsonNode field(JsonNode object, String name) {
        String key = key(object, name);
        return key == null ? null : object.get(key);
    }

    /** The key spelling {@code object} uses for {@code name}, or null if it has none. */
    public static String key(JsonNode object, String name) {
        if (object == null || !object.isObject()) {
            return null;
        }
        if (object.has(name)) {
            return name;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
            String key = it.next().getKey();
            if (key.equalsIgnoreCase(name)) {
                return key;
            }
        }
        return null;
    }

    /**
     * Absent, JSON null, "", or an array or object holding nothing but such: what {@code pr} calls not present
     * (RFC 7644 §3.4.2.2), so {@code "name": {"givenName": null}} is no name.
     */
    public static boolean empty(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return true;
        }
        if (value.isTextual()) {
            return value.textValue().isEmpty();
        }
        if (value.isContainerNode()) {
            for (JsonNode member : value) {
                if (!empty(member)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }
}
