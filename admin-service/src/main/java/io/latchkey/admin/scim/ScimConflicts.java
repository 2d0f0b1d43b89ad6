package io.latchkey.admin.scim;

import io.latchkey.model.directory.DirectoryCalls;
import io.vertx.pgclient.PgException;

/** PostgreSQL's refusals of a SCIM change, as SCIM errors (RFC 7644 §3.12). */
public final class ScimConflicts {

    private ScimConflicts() {
    }

    /**
     * A unique constraint (SQLSTATE 23505: the canonical userName, checked at commit so that concurrent creations
     * of one name end with one user) is 409 uniqueness; a foreign key (23503: a member that is not, or no longer,
     * a user) is 400 invalidValue. Anything else passes through.
     */
    public static Throwable translate(Throwable failure) {
        if (DirectoryCalls.isConstraintViolation(failure) && failure instanceof PgException pg) {
            if ("23505".equals(pg.getSqlState())) {
                return new ScimException(409, "uniqueness", "The userName is taken (compared in its RFC 8265 canonical form).");
            }
            if ("23503".equals(pg.getSqlState())) {
                return ScimException.badRequest("invalidValue", "A member is not a user.");
            }
            return ScimException.badRequest("invalidValue", "The directory refused the value.");
        }
        return failure;
    }
}
