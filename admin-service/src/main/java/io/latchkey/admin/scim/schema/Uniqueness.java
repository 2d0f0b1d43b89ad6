package io.latchkey.admin.scim.schema;

/** How unique a value must be (RFC 7643 §2.2 "uniqueness"); the storage enforces it. */
public enum Uniqueness {
    NONE("none"),
    SERVER("server"),
    GLOBAL("global");

    private final String scimName;

    Uniqueness(String scimName) {
        this.scimName = scimName;
    }

    public String scimName() {
        return scimName;
    }
}
