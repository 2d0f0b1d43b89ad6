package io.latchkey.admin.scim.projection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.admin.scim.ScimException;
import io.latchkey.admin.scim.path.AttrPath;
import io.latchkey.admin.scim.schema.AttributeDefinition;
import io.latchkey.admin.scim.schema.ResolvedAttribute;
import io.latchkey.admin.scim.schema.ResourceType;
import io.latchkey.admin.scim.schema.Returned;
import io.latchkey.admin.scim.schema.Schema;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a response shows of a resource (RFC 7644 §3.4.2.5, §3.9), by the model's {@code returned}: always (id,
 * schemas) whatever the request says; never (password) in no case; request only when {@code attributes} names
 * it; default unless {@code attributes} names others only or {@code excludedAttributes} names it. Paths are
 * attribute paths (case-insensitive, optional URN prefix, a sub-attribute, or an extension's URN for all of it);
 * names the model does not know are ignored, and members of the resource the model does not define are never
 * shown. Asking for both lists at once is 400 invalidValue.
 */
public final class Projection {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ResourceType type;
    /** Canonical paths named: "userName", "name.givenName", an extension's URN, "urn...:User:manager.value". */
    private final Set<String> attributes;
    private final Set<String> excluded;

    private Projection(ResourceType type, Set<String> attributes, Set<String> excluded) {
        this.type = type;
        this.attributes = attributes;
        this.excluded = excluded;
    }

    /** The projection of the {@code attributes} and {@code excludedAttributes} parameters (either may be null). */
    public static Projection of(ResourceType type, String attributes, String excludedAttributes) {
        boolean include = attributes != null && !attributes.isBlank();
        boolean exclude = excludedAttributes != null && !excludedAttributes.isBlank();
        if (include && exclude) {
            throw ScimException.badRequest("invalidValue", "Give attributes or excludedAttributes, not both.");
        }
        return new Projection(type, include ? paths(type, attributes) : Set.of(), exclude ? paths(type, excludedAttributes) : Set.of());
    }

    /** Default attributes only, as a response without either parameter. */
    public static Projection defaults(ResourceType type) {
        return new Projection(type, Set.of(), Set.of());
    }

    private static Set<String> paths(ResourceType type, String list) {
        Set<String> paths = new HashSet<>();
        for (String item : list.split(",")) {
            String text = item.strip();
            if (text.isEmpty()) {
                continue;
            }
            Optional<Schema> extension = type.extension(text);
            if (extension.isPresent()) {
                paths.add(key(extension.get().id()));
                continue;
            }
            AttrPath path = AttrPath.parse(text, "invalidValue");
            type.find(path).ifPresent(resolved -> {
                paths.add(key(resolved.canonical()));
                if (resolved.subAttribute() != null) {
                    paths.add(key(resolved.parent().canonical()) + "#partly");
                }
            });
        }
        return paths;
    }

    private static String key(String canonical) {
        return canonical.toLowerCase(Locale.ROOT);
    }

    /** A new object holding what the response shows of {@code resource}, in the resource's own order. */
    public ObjectNode apply(JsonNode resource) {
        ObjectNode shown = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = resource.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            Optional<Schema> extension = type.extension(entry.getKey());
            if (extension.isPresent()) {
                ObjectNode part = extension(extension.get(), entry.getValue());
                if (!part.isEmpty()) {
                    shown.set(extension.get().id(), part);
                }
                continue;
            }
            type.find(new AttrPath(null, entry.getKey(), null))
                    .filter(resolved -> !resolved.extension())
                    .ifPresent(resolved -> project(resolved, entry.getValue(), null).ifPresent(v -> shown.set(resolved.attribute().name(), v)));
        }
        return shown;
    }

    private ObjectNode extension(Schema schema, JsonNode value) {
        ObjectNode shown = NODES.objectNode();
        if (!value.isObject()) {
            return shown;
        }
        String whole = key(schema.id());
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            schema.attribute(entry.getKey()).ifPresent(attribute -> project(
                    new ResolvedAttribute(schema, true, attribute, null), entry.getValue(), whole)
                    .ifPresent(v -> shown.set(attribute.name(), v)));
        }
        return shown;
    }

    /** {@code enclosing}: the extension's key when the attribute sits in one (naming the URN names all of it). */
    private Optional<JsonNode> project(ResolvedAttribute attribute, JsonNode value, String enclosing) {
        AttributeDefinition definition = attribute.attribute();
        String path = key(attribute.canonical());
        if (definition.returned() == Returned.NEVER) {
            return Optional.empty();
        }
        if (definition.returned() == Returned.ALWAYS) {
            return Optional.of(subAttributes(attribute, value, true));
        }
        if (!attributes.isEmpty()) {
            boolean whole = attributes.contains(path) || (enclosing != null && attributes.contains(enclosing));
            if (whole) {
                return nonEmpty(subAttributes(attribute, value, true));
            }
            if (attributes.contains(path + "#partly")) {
                return nonEmpty(subAttributes(attribute, value, false));
            }
            return Optional.empty();
        }
        if (definition.returned() == Returned.REQUEST || excluded.contains(path)
                || (enclosing != null && excluded.contains(enclosing))) {
            return Optional.empty();
        }
        return nonEmpty(subAttributes(attribute, value, true));
    }

    private static Optional<JsonNode> nonEmpty(JsonNode value) {
        return value.isContainerNode() && value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /**
     * A complex value (or each of a multi-valued one's) reduced to the sub-attributes shown; {@code all}: the
     * attribute was named whole (or is shown by default), else only the sub-attributes named.
     */
    private JsonNode subAttributes(ResolvedAttribute attribute, JsonNode value, boolean all) {
        if (!attribute.attribute().complex()) {
            return value.deepCopy();
        }
        if (value.isArray()) {
            ArrayNode shown = NODES.arrayNode();
            for (JsonNode element : value) {
                JsonNode reduced = subAttributes(attribute, element, all);
                if (!reduced.isObject() || !reduced.isEmpty()) {
                    shown.add(reduced);
                }
            }
            return shown;
        }
        if (!value.isObject()) {
            return value.deepCopy();
        }
        ObjectNode shown = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            Optional<AttributeDefinition> sub = attribute.attribute().subAttribute(entry.getKey());
            if (sub.isEmpty() || sub.get().returned() == Returned.NEVER) {
                continue;
            }
            String path = key(attribute.withSub(sub.get()).canonical());
            boolean show = sub.get().returned() == Returned.ALWAYS
                    || (all ? sub.get().returned() != Returned.REQUEST || attributes.contains(path) : attributes.contains(path));
            if (show && (sub.get().returned() == Returned.ALWAYS || !excluded.contains(path))) {
                shown.set(sub.get().name(), entry.getValue().deepCopy());
            }
        }
        return shown;
    }
}
