package io.latchkey.admin.scim.schema;

/** The data types of a SCIM attribute (RFC 7643 §2.3), with the names /Schemas shows. */
public enum AttributeType {
    STRING("string"),
    BOOLEAN("boolean"),
    DECIMAL("decimal"),
    INTEGER("integer"),
    DATE_TIME("dateTime"),
    BINARY("binary"),
    REFERENCE("reference"),
    COMPLEX("complex");

    private final String scimName;

    AttributeType(String scimName) {
        this.scimName = scimName;
    }

    public String scimName() {
        return scimName;
    }

    /** Types whose values are compared as text (eq, co, sw, ew, and gt/lt lexically). */
    public boolean textual() {
        return this == STRING || this == REFERENCE || this == BINARY;
    }

    public boolean numeric() {
        return this == DECIMAL || this == INTEGER;
    }
}
