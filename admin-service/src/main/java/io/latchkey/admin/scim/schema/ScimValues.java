package io.latchkey.admin.scim.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.admin.scim.ScimException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A client's value checked against its attribute's definition and rewritten in the model's spelling, for every
 * write (POST, PUT, PATCH): the one place that decides what fits a type. A value of another type is 400
 * invalidValue; JSON null stays null (unassigned).
 */
public final class ScimValues {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ScimValues() {
    }

    /**
     * One value (one item of a multi-valued attribute). A complex value keeps its known sub-attributes, drops
     * readOnly ones and nulls (RFC 7643 §2.2: servers ignore readOnly values in requests) and refuses unknown
     * ones; a plain string stands for a complex attribute's {@code value} (how Entra ID sends the manager).
     */
    public static JsonNode coerce(AttributeDefinition definition, JsonNode value, String where) {
        if (value == null || value.isNull()) {
            return NODES.nullNode();
        }
        if (definition.complex()) {
            Optional<AttributeDefinition> valueSub = definition.subAttribute("value");
            if (value.isTextual() && valueSub.isPresent()) {
                return NODES.objectNode().set(valueSub.get().name(), value);
            }
            if (!value.isObject()) {
                throw ScimException.badRequest("invalidValue", where + " takes an object.");
            }
            ObjectNode coerced = NODES.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> entry = it.next();
                AttributeDefinition sub = definition.subAttribute(entry.getKey()).orElseThrow(() -> ScimException.badRequest(
                        "invalidValue", where + " has no sub-attribute '" + entry.getKey() + "'."));
                if (sub.readOnly() || entry.getValue().isNull()) {
                    continue;
                }
                coerced.set(sub.name(), coerce(sub, entry.getValue(), where + "." + sub.name()));
            }
            return coerced;
        }
        if (value.isArray() || value.isObject()) {
            throw ScimException.badRequest("invalidValue", where + " takes a single " + definition.type().scimName() + ".");
        }
        boolean fits = switch (definition.type()) {
            case BOOLEAN -> value.isBoolean();
            case INTEGER -> value.isIntegralNumber();
            case DECIMAL -> value.isNumber();
            case DATE_TIME -> value.isTextual() && ScimDateTime.parse(value.textValue()).isPresent();
            default -> value.isTextual();
        };
        if (!fits) {
            throw ScimException.badRequest("invalidValue", where + " takes a " + definition.type().scimName()
                    + (definition.type() == AttributeType.BOOLEAN ? " (true or false)" : "") + ".");
        }
        return value;
    }

    /** The items of a multi-valued attribute's value (an array, or one item alone), coerced; nulls and empties left out. */
    public static List<JsonNode> coerceMany(AttributeDefinition definition, JsonNode value, String where) {
        List<JsonNode> values = new ArrayList<>();
        if (value == null || value.isNull()) {
            return values;
        }
        Iterable<JsonNode> items = value.isArray() ? value : List.of(value);
        for (JsonNode item : items) {
            JsonNode coerced = coerce(definition, item, where);
            if (!ScimJson.empty(coerced)) {
                values.add(coerced);
            }
        }
        return values;
    }

    /** At most one item of a multi-valued attribute may say {@code primary: true} (RFC 7643 §2.4). */
    public static void requireOnePrimaryAtMost(AttributeDefinition definition, ArrayNode values) {
        Optional<AttributeDefinition> primary = definition.subAttribute("primary");
        if (primary.isEmpty()) {
            return;
        }
        int count = 0;
        for (JsonNode item : values) {
            if (item.path(primary.get().name()).isBoolean() && item.path(primary.get().name()).booleanValue()) {
                count++;
            }
        }
        if (count > 1) {
            throw ScimException.badRequest("invalidValue", "At most one value of " + definition.name() + " may be primary.");
        }
    }
}
