package io.latchkey.admin.scim.schema;

/** A schema a resource type may carry beside its core one, under its URN as key (RFC 7643 §6). */
public record SchemaExtension(Schema schema, boolean required) {
}
