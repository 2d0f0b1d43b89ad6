package io.latchkey.model.domain;

import java.util.Objects;

/**
 * A live refresh token's grant: the code grant its family started from, and when the family started.
 * RFC 6749 §6: a refresh token's scope stays that of the original grant; a narrower scope on refresh
 * narrows only the access token issued then.
 *
 * @param createdAtMillis start of the family, for the absolute lifetime cap
 */
public record RefreshGrant(String family, CodeGrant origin, long createdAtMillis) {

    public RefreshGrant {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(origin, "origin");
    }

    public String clientId() {
        return origin.clientId();
    }

    public String subject() {
        return origin.subject();
    }
}
