package io.latchkey.admin.scim.schema;

/** When a response carries an attribute (RFC 7643 §2.2 "returned"); {@code Projection} applies it. */
public enum Returned {
    /** In every response, whatever {@code attributes} or {@code excludedAttributes} say. */
    ALWAYS("always"),
    /** In no response (a password). */
    NEVER("never"),
    /** Unless excluded, or unless {@code attributes} names others only. */
    DEFAULT("default"),
    /** Only when {@code attributes} names it. */
    REQUEST("request");

    private final String scimName;

    Returned(String scimName) {
        this.scimName = scimName;
    }

    public String scimName() {
        return scimName;
    }
}
