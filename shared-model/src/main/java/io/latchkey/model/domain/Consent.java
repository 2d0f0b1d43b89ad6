package io.latchkey.model.domain;

import java.util.Objects;
import java.util.Set;

/** The scopes a user has approved for a client; a request within them skips the consent page. */
public record Consent(String subject, String clientId, Set<String> scopes, long grantedAt) {

    public static final int VERSION = 1;

    public Consent {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(clientId, "clientId");
        scopes = Set.copyOf(Objects.requireNonNullElse(scopes, Set.of()));
    }

    public boolean covers(java.util.Collection<String> requested) {
        return scopes.containsAll(requested);
    }
}
