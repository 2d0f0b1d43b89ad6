package io.latchkey.admin.scim.schema;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An attribute path resolved against a resource type: the schema that defines it, the attribute, and the
 * sub-attribute when the path names one. {@link #canonical()} spells it as the model does, which storage maps
 * to its columns.
 */
public record ResolvedAttribute(Schema schema, boolean extension, AttributeDefinition attribute,
        AttributeDefinition subAttribute) {

    /** The definition the path ends at: the sub-attribute if there is one, else the attribute. */
    public AttributeDefinition target() {
        return subAttribute != null ? subAttribute : attribute;
    }

    /**
     * The path in the model's spelling: {@code userName}, {@code name.familyName}, {@code emails.value}, and for
     * an extension's attribute its URN first, {@code urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value}.
     */
    public String canonical() {
        return (extension ? schema.id() + ":" : "") + attribute.name()
                + (subAttribute == null ? "" : "." + subAttribute.name());
    }

    /** The same attribute without its sub-attribute. */
    public ResolvedAttribute parent() {
        return new ResolvedAttribute(schema, extension, attribute, null);
    }

    public ResolvedAttribute withSub(AttributeDefinition sub) {
        return new ResolvedAttribute(schema, extension, attribute, sub);
    }

    /** The object of a resource that holds the attribute: the resource, or its extension's object; may be null. */
    public JsonNode container(JsonNode resource) {
        return extension ? ScimJson.field(resource, schema.id()) : resource;
    }

    /** The attribute's value in a resource (the whole attribute, not the sub-attribute), or null. */
    public JsonNode valueIn(JsonNode resource) {
        return ScimJson.field(container(resource), attribute.name());
    }
}
