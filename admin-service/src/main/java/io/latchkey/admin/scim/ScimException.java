package io.latchkey.admin.scim;

import io.latchkey.model.store.CallerFailure;

/**
 * A SCIM error (RFC 7644 §3.12): the HTTP status, the {@code scimType} where the RFC defines one for it
 * (invalidFilter, tooMany, uniqueness, mutability, invalidSyntax, invalidPath, noTarget, invalidValue, invalidVers,
 * sensitive), and a detail for people. AdminErrorMapper writes it. Raised inside a transaction it rolls the change
 * back and reaches the client as it is (a {@link CallerFailure}, not a directory outage).
 */
public final class ScimException extends RuntimeException implements CallerFailure {

    private final int status;
    private final String scimType;

    public ScimException(int status, String scimType, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.scimType = scimType;
    }

    public static ScimException badRequest(String scimType, String detail) {
        return new ScimException(400, scimType, detail);
    }

    public static ScimException notFound(String detail) {
        return new ScimException(404, null, detail);
    }

    public int status() {
        return status;
    }

    /** Null where the RFC names none (404, 412, 500...). */
    public String scimType() {
        return scimType;
    }
}
