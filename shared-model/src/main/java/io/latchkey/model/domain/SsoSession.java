package io.latchkey.model.domain;

import java.util.List;
import java.util.Objects;

/**
 * A browser's single sign-on session. Its idle lifetime slides on use, up to an absolute cap counted
 * from {@code createdAt}.
 *
 * @param authTime  epoch seconds of the last password login
 * @param createdAt epoch seconds
 */
public record SsoSession(String id, String subject, long authTime, List<String> amr, long createdAt) {

    public static final int VERSION = 1;

    public SsoSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(subject, "subject");
        amr = List.copyOf(Objects.requireNonNullElse(amr, List.of()));
    }
}
