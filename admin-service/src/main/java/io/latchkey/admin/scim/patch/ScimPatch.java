package io.latchkey.admin.scim.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.admin.scim.ScimException;
import io.latchkey.admin.scim.filter.CompareOp;
import io.latchkey.admin.scim.filter.Filter;
import io.latchkey.admin.scim.filter.FilterEvaluator;
import io.latchkey.admin.scim.path.AttrPath;
import io.latchkey.admin.scim.path.PatchPath;
import io.latchkey.admin.scim.schema.AttributeDefinition;
import io.latchkey.admin.scim.schema.Mutability;
import io.latchkey.admin.scim.schema.ResolvedAttribute;
import io.latchkey.admin.scim.schema.ResourceType;
import io.latchkey.admin.scim.schema.Schema;
import io.latchkey.admin.scim.schema.ScimJson;
import io.latchkey.admin.scim.schema.ScimSchemas;
import io.latchkey.admin.scim.schema.ScimValues;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Applies a SCIM PATCH request (RFC 7644 §3.5.2) to a copy of a resource and returns the copy; the input is never
 * changed, so a request that fails half-way leaves nothing half-written. What the model says decides: readOnly
 * attributes (id, meta, groups) and immutable ones that already hold a value are 400 mutability; a value of the
 * wrong type is 400 invalidValue; a filter that matches nothing, or remove without a path, is 400 noTarget; a
 * malformed or unknown path is 400 invalidPath. Setting {@code primary: true} on one value clears it on the others
 * (RFC 7643 §2.4). Names are written in the model's spelling whatever case the client used.
 *
 * <p>Accepted as the big provisioning clients send them: op names in any case ({@code "Replace"}); a path-less
 * value with dotted or URN-prefixed keys ({@code {"name.givenName": "x"}}); a plain string for a complex
 * attribute with a {@code value} sub-attribute (the enterprise manager); {@code add} through a filter that
 * matches nothing, which creates the value its {@code eq} terms describe ({@code emails[type eq "work"].value});
 * {@code remove} of a multi-valued attribute with a value listing the values to remove (group members).
 */
public final class ScimPatch {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private enum Op { ADD, REPLACE, REMOVE }

    private final ResourceType type;
    private final FilterEvaluator evaluator;

    public ScimPatch(ResourceType type) {
        this.type = type;
        this.evaluator = new FilterEvaluator(type);
    }

    /** The resource after every operation of {@code request}, in order; {@code resource} is left as it was. */
    public ObjectNode apply(ObjectNode resource, JsonNode request) {
        if (request == null || !request.isObject()) {
            throw ScimException.badRequest("invalidSyntax", "A PATCH request is a JSON object.");
        }
        JsonNode schemas = ScimJson.field(request, "schemas");
        if (schemas == null || !schemas.isArray() || !contains(schemas, ScimSchemas.PATCH_OP)) {
            throw ScimException.badRequest("invalidSyntax", "A PATCH request's schemas must be [\"" + ScimSchemas.PATCH_OP + "\"].");
        }
        JsonNode operations = ScimJson.field(request, "Operations");
        if (operations == null || !operations.isArray() || operations.isEmpty()) {
            throw ScimException.badRequest("invalidSyntax", "A PATCH request needs a non-empty Operations array.");
        }
        ObjectNode copy = resource.deepCopy();
        int index = 0;
        for (JsonNode operation : operations) {
            apply(copy, operation, index++);
        }
        tidySchemas(copy);
        return copy;
    }

    private void apply(ObjectNode resource, JsonNode operation, int index) {
        if (!operation.isObject()) {
            throw ScimException.badRequest("invalidSyntax", "Operation " + index + " is not a JSON object.");
        }
        JsonNode opName = ScimJson.field(operation, "op");
        Op op;
        try {
            op = Op.valueOf(opName == null || !opName.isTextual() ? "" : opName.textValue().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ScimException.badRequest("invalidSyntax", "Operation " + index + ": op must be add, replace or remove.");
        }
        JsonNode pathNode = ScimJson.field(operation, "path");
        JsonNode value = ScimJson.field(operation, "value");
        if (pathNode == null || pathNode.isNull()) {
            if (op == Op.REMOVE) {
                throw ScimException.badRequest("noTarget", "Operation " + index + ": remove needs a path.");
            }
            withoutPath(resource, op, value, index);
            return;
        }
        if (!pathNode.isTextual()) {
            throw ScimException.badRequest("invalidPath", "Operation " + index + ": path must be a string.");
        }
        if (op != Op.REMOVE && value == null) {
            throw ScimException.badRequest("invalidValue", "Operation " + index + ": " + op.name().toLowerCase(Locale.ROOT)
                    + " needs a value.");
        }
        PatchPath path = PatchPath.parse(pathNode.textValue());
        Optional<Schema> wholeExtension = type.extension(path.path().asUrn());
        if (wholeExtension.isPresent() && path.valueFilter() == null) {
            if (op == Op.REMOVE) {
                ObjectNode removed = resource;
                String key = ScimJson.key(removed, wholeExtension.get().id());
                if (key != null) {
                    removed.remove(key);
                }
                return;
            }
            requireObject(value, index);
            value.fields().forEachRemaining(e -> set(resource, op,
                    resolve(new AttrPath(wholeExtension.get().id(), e.getKey(), null)), null, e.getValue(), true));
            return;
        }
        ResolvedAttribute target = resolve(path.path());
        if (path.valueFilter() != null && !target.attribute().complex()) {
            throw ScimException.badRequest("invalidPath", "'" + pathNode.textValue()
                    + "': brackets filter the values of a complex attribute.");
        }
        if (op == Op.REMOVE) {
            remove(resource, target, path.valueFilter(), value);
        } else {
            set(resource, op, target, path.valueFilter(), value, false);
        }
    }

    /** add or replace without a path: the value is an object of attributes, core, dotted or URN-prefixed. */
    private void withoutPath(ObjectNode resource, Op op, JsonNode value, int index) {
        requireObject(value, index);
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = entry.getKey();
            if (key.equalsIgnoreCase("schemas")) {
                continue; // the server keeps schemas in step with the extensions present
            }
            Optional<Schema> extension = type.extension(key);
            if (extension.isPresent()) {
                requireObject(entry.getValue(), index);
                entry.getValue().fields().forEachRemaining(e -> set(resource, op,
                        resolve(new AttrPath(extension.get().id(), e.getKey(), null)), null, e.getValue(), true));
                continue;
            }
            set(resource, op, resolve(AttrPath.parse(key, "invalidPath")), null, entry.getValue(), true);
        }
    }

    private ResolvedAttribute resolve(AttrPath path) {
        return type.resolve(path, "invalidPath");
    }

    // add and replace ------------------------------------------------------------------------------------------

    private void set(ObjectNode resource, Op op, ResolvedAttribute target, Filter filter, JsonNode value, boolean pathless) {
        AttributeDefinition attribute = target.attribute();
        AttributeDefinition sub = target.subAttribute();
        if (pathless && attribute.readOnly() && sub == null && value.equals(target.valueIn(resource))) {
            return; // a client echoing id or meta as it is changes nothing
        }
        checkWritable(resource, target, filter != null || (attribute.multiValued() && sub != null));
        ObjectNode container = container(resource, target, true);
        JsonNode current = ScimJson.field(container, attribute.name());

        if (filter != null) {
            setFiltered(container, op, target, filter, value);
            return;
        }
        if (sub == null) {
            if (attribute.multiValued()) {
                List<JsonNode> values = coerceMany(attribute, value);
                ArrayNode array = op == Op.ADD && current != null && current.isArray() ? (ArrayNode) current : NODES.arrayNode();
                Set<JsonNode> written = identitySet();
                for (JsonNode v : values) {
                    if (!contains(array, v)) {
                        array.add(v);
                        written.add(v);
                    }
                }
                put(container, attribute.name(), array.isEmpty() ? null : array);
                normalizePrimary(attribute, array, written);
            } else if (attribute.complex()) {
                JsonNode coerced = coerce(attribute, value, target.canonical());
                ObjectNode object = current != null && current.isObject() ? (ObjectNode) current : NODES.objectNode();
                if (coerced.isNull()) {
                    put(container, attribute.name(), null);
                    return;
                }
                coerced.fields().forEachRemaining(e -> put(object, e.getKey(), e.getValue()));
                put(container, attribute.name(), object);
            } else {
                JsonNode coerced = coerce(attribute, value, target.canonical());
                if (coerced.isNull() && op == Op.ADD) {
                    throw ScimException.badRequest("invalidValue", "add needs a value for " + target.canonical() + ".");
                }
                put(container, attribute.name(), coerced);
            }
            return;
        }
        JsonNode coerced = coerce(sub, value, target.canonical());
        if (attribute.multiValued()) {
            ArrayNode array = current != null && current.isArray() ? (ArrayNode) current : NODES.arrayNode();
            if (array.isEmpty()) {
                array.add(NODES.objectNode());
            }
            Set<JsonNode> written = identitySet();
            for (JsonNode element : array) {
                if (element.isObject()) {
                    put((ObjectNode) element, sub.name(), coerced);
                    written.add(element);
                }
            }
            put(container, attribute.name(), array);
            normalizePrimary(attribute, array, written);
        } else {
            ObjectNode object = current != null && current.isObject() ? (ObjectNode) current : NODES.objectNode();
            put(object, sub.name(), coerced);
            put(container, attribute.name(), object.isEmpty() ? null : object);
        }
    }

    private void setFiltered(ObjectNode container, Op op, ResolvedAttribute target, Filter filter, JsonNode value) {
        AttributeDefinition attribute = target.attribute();
        AttributeDefinition sub = target.subAttribute();
        Predicate<JsonNode> matches = evaluator.compileValueFilter(target.parent(), filter);
        JsonNode current = ScimJson.field(container, attribute.name());
        ArrayNode array;
        if (!attribute.multiValued()) {
            array = NODES.arrayNode();
            if (current != null && current.isObject()) {
                array.add(current);
            }
        } else {
            array = current != null && current.isArray() ? (ArrayNode) current : NODES.arrayNode();
        }
        List<ObjectNode> matched = new ArrayList<>();
        for (JsonNode element : array) {
            if (element.isObject() && matches.test(element)) {
                matched.add((ObjectNode) element);
            }
        }
        JsonNode coerced = sub != null ? coerce(sub, value, target.canonical()) : coerce(attribute, value, target.canonical());
        if (sub == null && !coerced.isObject()) {
            throw ScimException.badRequest("invalidValue", "The value for " + target.parent().canonical() + "[...] is an object.");
        }
        if (matched.isEmpty()) {
            Optional<ObjectNode> described = op == Op.ADD ? describedBy(filter, attribute) : Optional.empty();
            if (described.isEmpty()) {
                throw ScimException.badRequest("noTarget", "No value of " + target.parent().canonical() + " matches the filter.");
            }
            ObjectNode created = described.get();
            array.add(created);
            matched.add(created);
        }
        Set<JsonNode> written = identitySet();
        for (ObjectNode element : matched) {
            if (sub != null) {
                put(element, sub.name(), coerced);
            } else {
                coerced.fields().forEachRemaining(e -> put(element, e.getKey(), e.getValue()));
            }
            written.add(element);
        }
        if (attribute.multiValued()) {
            put(container, attribute.name(), array);
            normalizePrimary(attribute, array, written);
        } else {
            put(container, attribute.name(), array.get(0));
        }
    }

    /**
     * The value a filter of {@code eq} terms joined by {@code and} describes ({@code type eq "work"} gives
     * {@code {"type": "work"}}), for an add through a filter that matches nothing; empty for any other filter.
     */
    private static Optional<ObjectNode> describedBy(Filter filter, AttributeDefinition attribute) {
        ObjectNode described = NODES.objectNode();
        List<Filter> pending = new ArrayList<>(List.of(filter));
        while (!pending.isEmpty()) {
            Filter next = pending.remove(pending.size() - 1);
            if (next instanceof Filter.And and) {
                pending.add(and.left());
                pending.add(and.right());
            } else if (next instanceof Filter.Comparison comparison && comparison.op() == CompareOp.EQ
                    && !comparison.value().isNull()) {
                Optional<AttributeDefinition> sub = attribute.subAttribute(comparison.path().attribute());
                if (sub.isEmpty() || sub.get().readOnly()) {
                    return Optional.empty();
                }
                described.set(sub.get().name(), comparison.value());
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(described);
    }

    // remove -----------------------------------------------------------------------------------------------------

    private void remove(ObjectNode resource, ResolvedAttribute target, Filter filter, JsonNode value) {
        AttributeDefinition attribute = target.attribute();
        AttributeDefinition sub = target.subAttribute();
        checkWritable(resource, target, filter != null || sub != null);
        if (attribute.required() && sub == null && filter == null && (value == null || value.isNull())) {
            throw ScimException.badRequest("invalidValue", target.canonical() + " is required and cannot be removed.");
        }
        ObjectNode container = container(resource, target, false);
        JsonNode current = ScimJson.field(container, attribute.name());
        if (current == null) {
            if (filter != null) {
                throw ScimException.badRequest("noTarget", "No value of " + target.parent().canonical() + " matches the filter.");
            }
            return;
        }
        if (filter != null) {
            Predicate<JsonNode> matches = evaluator.compileValueFilter(target.parent(), filter);
            List<JsonNode> elements = current.isArray() ? list(current) : List.of(current);
            List<JsonNode> kept = new ArrayList<>();
            boolean any = false;
            for (JsonNode element : elements) {
                boolean hit = element.isObject() && matches.test(element);
                any |= hit;
                if (hit && sub != null) {
                    removeKey((ObjectNode) element, sub.name());
                }
                if (!hit || sub != null) {
                    kept.add(element);
                }
            }
            if (!any) {
                throw ScimException.badRequest("noTarget", "No value of " + target.parent().canonical() + " matches the filter.");
            }
            store(container, attribute, kept);
            return;
        }
        if (sub != null) {
            List<JsonNode> elements = current.isArray() ? list(current) : List.of(current);
            for (JsonNode element : elements) {
                if (element.isObject()) {
                    removeKey((ObjectNode) element, sub.name());
                }
            }
            store(container, attribute, elements);
            return;
        }
        if (attribute.multiValued() && value != null && !value.isNull()) {
            // Remove the values listed (as Entra ID removes group members): matched by their value sub-attribute.
            List<JsonNode> doomed = coerceMany(attribute, value);
            List<JsonNode> kept = new ArrayList<>();
            for (JsonNode element : list(current)) {
                if (doomed.stream().noneMatch(d -> sameValue(attribute, d, element))) {
                    kept.add(element);
                }
            }
            store(container, attribute, kept);
            return;
        }
        put(container, attribute.name(), null);
    }

    private static boolean sameValue(AttributeDefinition attribute, JsonNode doomed, JsonNode element) {
        Optional<AttributeDefinition> value = attribute.subAttribute("value");
        if (attribute.complex() && value.isPresent() && doomed.has(value.get().name())) {
            JsonNode a = doomed.get(value.get().name());
            JsonNode b = ScimJson.field(element, value.get().name());
            if (a == null || b == null || !a.isTextual() || !b.isTextual()) {
                return a != null && a.equals(b);
            }
            return value.get().caseExact() ? a.textValue().equals(b.textValue()) : a.textValue().equalsIgnoreCase(b.textValue());
        }
        return doomed.equals(element);
    }

    /** Writes back the values of an attribute: a multi-valued one as an array (none left: removed). */
    private static void store(ObjectNode container, AttributeDefinition attribute, List<JsonNode> elements) {
        List<JsonNode> present = elements.stream().filter(e -> !ScimJson.empty(e)).toList();
        if (!attribute.multiValued()) {
            put(container, attribute.name(), present.isEmpty() ? null : present.get(0));
            return;
        }
        ArrayNode array = NODES.arrayNode();
        present.forEach(array::add);
        put(container, attribute.name(), array.isEmpty() ? null : array);
    }

    // rules ------------------------------------------------------------------------------------------------------

    /**
     * readOnly is never writable; immutable only while it holds no value. {@code existingValues}: the operation
     * reaches into values already there (a filter, or a sub-attribute of every value), so an immutable
     * sub-attribute of theirs cannot change either.
     */
    private static void checkWritable(ObjectNode resource, ResolvedAttribute target, boolean existingValues) {
        AttributeDefinition attribute = target.attribute();
        AttributeDefinition sub = target.subAttribute();
        if (attribute.readOnly() || (sub != null && sub.readOnly())) {
            throw ScimException.badRequest("mutability", target.canonical() + " is readOnly.");
        }
        boolean immutable = attribute.mutability() == Mutability.IMMUTABLE
                || (sub != null && sub.mutability() == Mutability.IMMUTABLE && existingValues);
        if (immutable && !ScimJson.empty(target.valueIn(resource))) {
            throw ScimException.badRequest("mutability", target.canonical() + " is immutable and already set.");
        }
    }

    /** When a write set {@code primary: true} on a value, the attribute's other values lose it; two at once is invalid. */
    private static void normalizePrimary(AttributeDefinition attribute, ArrayNode array, Set<JsonNode> written) {
        Optional<AttributeDefinition> primary = attribute.subAttribute("primary");
        if (primary.isEmpty()) {
            return;
        }
        String name = primary.get().name();
        List<JsonNode> newlyPrimary = new ArrayList<>();
        List<JsonNode> allPrimary = new ArrayList<>();
        for (JsonNode element : array) {
            if (element.path(name).asBoolean(false) && element.path(name).isBoolean()) {
                allPrimary.add(element);
                if (written.contains(element)) {
                    newlyPrimary.add(element);
                }
            }
        }
        if (newlyPrimary.size() > 1 || (newlyPrimary.isEmpty() && allPrimary.size() > 1)) {
            throw ScimException.badRequest("invalidValue", "At most one value of " + attribute.name() + " may be primary.");
        }
        if (newlyPrimary.size() == 1) {
            for (JsonNode element : allPrimary) {
                if (element != newlyPrimary.get(0)) {
                    ((ObjectNode) element).put(name, false);
                }
            }
        }
    }

    private static List<JsonNode> coerceMany(AttributeDefinition attribute, JsonNode value) {
        return ScimValues.coerceMany(attribute, value, attribute.name());
    }

    private static JsonNode coerce(AttributeDefinition definition, JsonNode value, String where) {
        return ScimValues.coerce(definition, value, where);
    }

    // JSON helpers -----------------------------------------------------------------------------------------------

    /** The object that holds the attribute: the resource, or its extension's object (created if asked). */
    private static ObjectNode container(ObjectNode resource, ResolvedAttribute target, boolean create) {
        if (!target.extension()) {
            return resource;
        }
        String key = ScimJson.key(resource, target.schema().id());
        JsonNode existing = key == null ? null : resource.get(key);
        if (existing != null && existing.isObject()) {
            return (ObjectNode) existing;
        }
        ObjectNode created = NODES.objectNode();
        if (create) {
            put(resource, target.schema().id(), created);
        }
        return created;
    }

    /** Sets {@code name} under the model's spelling, dropping any other spelling of it; null removes it. */
    private static void put(ObjectNode object, String name, JsonNode value) {
        removeKey(object, name);
        if (value != null && !value.isNull()) {
            object.set(name, value);
        }
    }

    private static void removeKey(ObjectNode object, String name) {
        for (String key; (key = ScimJson.key(object, name)) != null;) {
            object.remove(key);
        }
    }

    /** schemas lists the core schema and exactly the extensions the resource holds a value of. */
    private void tidySchemas(ObjectNode resource) {
        ArrayNode schemas = NODES.arrayNode().add(type.schema().id());
        for (var extension : type.extensions()) {
            String key = ScimJson.key(resource, extension.schema().id());
            if (key != null && ScimJson.empty(resource.get(key))) {
                resource.remove(key);
                key = null;
            }
            if (key != null) {
                schemas.add(extension.schema().id());
            }
        }
        put(resource, "schemas", schemas);
    }

    private static void requireObject(JsonNode value, int index) {
        if (value == null || !value.isObject()) {
            throw ScimException.badRequest("invalidValue", "Operation " + index + ": without a path, the value is an object of attributes.");
        }
    }

    private static boolean contains(JsonNode array, String text) {
        for (JsonNode v : array) {
            if (v.isTextual() && v.textValue().equalsIgnoreCase(text)) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(ArrayNode array, JsonNode value) {
        for (JsonNode v : array) {
            if (v.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> values = new ArrayList<>();
        array.forEach(values::add);
        return values;
    }

    private static Set<JsonNode> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }
}
