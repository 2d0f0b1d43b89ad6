package io.latchkey.model.domain;

import java.util.Map;
import java.util.Objects;

/**
 * A person who can log in.
 *
 * @param id           the stable subject identifier ({@code sub}); never reassigned
 * @param passwordHash PHC-format (Argon2id, PBKDF2) or bcrypt hash; null when the user has no password, and
 *                     in a profile read for anything but a login
 * @param claims       OpenID Connect standard claims (Core §5.1) released per scope: name, email, ...
 */
public record User(String id, String username, String passwordHash, boolean enabled, Map<String, Object> claims) {

    public static final int VERSION = 1;

    public User {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(username, "username");
        claims = Map.copyOf(Objects.requireNonNullElse(claims, Map.of()));
    }

    public User withPasswordHash(String newHash) {
        return new User(id, username, newHash, enabled, claims);
    }
}
