package io.latchkey.admin.scim.schema;

import io.latchkey.admin.scim.ScimException;
import io.latchkey.admin.scim.path.AttrPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A SCIM resource type (RFC 7643 §6): its endpoint, core schema and extensions; and the one place attribute
 * paths are resolved to definitions (RFC 7644 §3.10): names case-insensitive, an optional schema URN prefix, the
 * common attributes ({@link ScimSchemas#COMMON}) beside the core schema's, an unprefixed name not in the core
 * schema looked up in the extensions.
 */
public record ResourceType(String id, String name, String endpoint, String description, Schema schema,
        List<SchemaExtension> extensions) {

    public ResourceType {
        extensions = List.copyOf(extensions);
    }

    /** The core schema and then each extension's. */
    public List<Schema> schemas() {
        List<Schema> all = new ArrayList<>();
        all.add(schema);
        extensions.forEach(e -> all.add(e.schema()));
        return all;
    }

    /** The extension schema with this URN, case-insensitively. */
    public Optional<Schema> extension(String urn) {
        if (urn == null) {
            return Optional.empty();
        }
        return extensions.stream().map(SchemaExtension::schema).filter(s -> s.id().equalsIgnoreCase(urn)).findFirst();
    }

    /** The attribute (and sub-attribute) a path names, if this resource type has it. */
    public Optional<ResolvedAttribute> find(AttrPath path) {
        Optional<ResolvedAttribute> top = findAttribute(path.urn(), path.attribute());
        if (top.isEmpty() || path.subAttribute() == null) {
            return top;
        }
        return top.get().attribute().subAttribute(path.subAttribute()).map(sub -> top.get().withSub(sub));
    }

    /** As {@link #find}, an unknown attribute being a 400 with {@code scimType}. */
    public ResolvedAttribute resolve(AttrPath path, String scimType) {
        return find(path).orElseThrow(() -> ScimException.badRequest(scimType,
                "The " + name + " resource has no attribute '" + path + "'."));
    }

    private Optional<ResolvedAttribute> findAttribute(String urn, String attributeName) {
        if (urn != null) {
            if (schema.id().equalsIgnoreCase(urn)) {
                return inCore(attributeName);
            }
            return extension(urn).flatMap(ext -> ext.attribute(attributeName)
                    .map(a -> new ResolvedAttribute(ext, true, a, null)));
        }
        Optional<ResolvedAttribute> core = inCore(attributeName);
        if (core.isPresent()) {
            return core;
        }
        for (SchemaExtension ext : extensions) {
            Optional<AttributeDefinition> attribute = ext.schema().attribute(attributeName);
            if (attribute.isPresent()) {
                return Optional.of(new ResolvedAttribute(ext.schema(), true, attribute.get(), null));
            }
        }
        return Optional.empty();
    }

    private Optional<ResolvedAttribute> inCore(String attributeName) {
        Optional<AttributeDefinition> attribute = schema.attribute(attributeName);
        if (attribute.isEmpty()) {
            attribute = ScimSchemas.COMMON.stream().filter(a -> a.name().equalsIgnoreCase(attributeName)).findFirst();
        }
        return attribute.map(a -> new ResolvedAttribute(schema, false, a, null));
    }

    /** Every top-level attribute of the core schema, the common ones first. */
    public List<AttributeDefinition> coreAttributes() {
        List<AttributeDefinition> all = new ArrayList<>(ScimSchemas.COMMON);
        all.addAll(schema.attributes());
        return all;
    }
}
