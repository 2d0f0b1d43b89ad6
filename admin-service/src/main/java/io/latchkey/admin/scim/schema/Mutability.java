package io.latchkey.admin.scim.schema;

/** Whether and when a client may change an attribute (RFC 7643 §2.2 "mutability"). */
public enum Mutability {
    READ_ONLY("readOnly"),
    READ_WRITE("readWrite"),
    /** Set once, when the attribute (or the multi-valued item holding it) is created; never changed after. */
    IMMUTABLE("immutable"),
    WRITE_ONLY("writeOnly");

    private final String scimName;

    Mutability(String scimName) {
        this.scimName = scimName;
    }

    public String scimName() {
        return scimName;
    }
}
