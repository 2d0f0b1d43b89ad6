package io.latchkey.model.domain;

import java.util.List;
import java.util.Objects;

/**
 * A browser's single sign-on session. Its idle lifetime slides on use, up to an absolute cap counted
 * from {@code createdAt}.
 *
 * @param authTime  epoch seconds of the last sign-in (a step-up counts)
 * @param amr       RFC 8176 methods of that sign-in
 * @param createdAt epoch seconds
 * @param secondFactorEnrolled the user had a TOTP authenticator at sign-in (or enrolled one since): a client whose
 *                  policy is optional then asks for it before using a session without it
 */
public record SsoSession(String id, String subject, long authTime, List<String> amr, long createdAt,
        boolean secondFactorEnrolled) {

    public static final int VERSION = 1;

    public SsoSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(subject, "subject");
        amr = List.copyOf(Objects.requireNonNullElse(amr, List.of()));
    }

    /** The session of a user who has enrolled a TOTP authenticator since signing in. */
    public SsoSession withSecondFactorEnrolled() {
        return new SsoSession(id, subject, authTime, amr, createdAt, true);
    }

    public SsoSession(String id, String subject, long authTime, List<String> amr, long createdAt) {
        this(id, subject, authTime, amr, createdAt, false);
    }
}
