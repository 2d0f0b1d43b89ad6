package io.latchkey.model.domain;

import java.util.Objects;

/**
 * A live refresh token's grant: the code grant its family started from, and when the family started.
 * RFC 6749 §6: a refresh token's scope stays that of the original grant; a narrower scope on refresh
 * narrows only the access token issued then.
 *
 * @param createdAtMillis start of the family, for the absolute lifetime cap
 * @param dpopJkt         the DPoP key thumbprint the family is bound to (RFC 9449 §5: a public client's, when it
 *                        presented a proof); null when not bound
 */
public record RefreshGrant(String family, CodeGrant origin, long createdAtMillis, String dpopJkt) {

    public RefreshGrant {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(origin, "origin");
    }

    public RefreshGrant(String family, CodeGrant origin, long createdAtMillis) {
        this(family, origin, createdAtMillis, null);
    }

    public String clientId() {
        return origin.clientId();
    }

    public String subject() {
        return origin.subject();
    }
}
