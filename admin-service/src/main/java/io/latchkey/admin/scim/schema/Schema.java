package io.latchkey.admin.scim.schema;

import java.util.List;
import java.util.Optional;

/** A SCIM schema (RFC 7643 §7): its URN id, name, description and top-level attributes. */
public record Schema(String id, String name, String description, List<AttributeDefinition> attributes) {

    public Schema {
        attributes = List.copyOf(attributes);
    }

    /** The top-level attribute of that name, case-insensitively. */
    public Optional<AttributeDefinition> attribute(String attributeName) {
        for (AttributeDefinition attribute : attributes) {
            if (attribute.name().equalsIgnoreCase(attributeName)) {
                return Optional.of(attribute);
            }
        }
        return Optional.empty();
    }
}
