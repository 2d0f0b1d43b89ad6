package io.latchkey.model.domain;

import java.util.Optional;
import rocks.xmpp.precis.PrecisProfile;
import rocks.xmpp.precis.PrecisProfiles;

/**
 * The one place that decides whether two usernames name the same account: RFC 8265 §3.3, the
 * UsernameCaseMapped profile of the PRECIS IdentifierClass (RFC 8264 §4.2). Enforcement maps fullwidth and
 * halfwidth characters to their decomposition (§3.3.1 step 1, so {@code ａｌｉｃｅ} is {@code alice}), lower-cases
 * (step 3, so {@code Alice} is {@code alice}), normalises to NFC (step 4, so a decomposed {@code café} is the
 * composed one) and applies the Bidi Rule; a string with a character the IdentifierClass disallows
 * (spaces, symbols such as {@code Ⅳ} or {@code ﬁ}, controls, joiners) is refused rather than guessed at.
 *
 * <p>Usernames are stored in this form and looked up in it, at import (both the Redis and a database
 * importer call {@link #canonical}) and at login ({@link #comparable}). The work is done by the
 * {@code rocks.xmpp:precis} library; UsernamesTest holds it to the RFC's rules and examples.
 */
public final class Usernames {

    private static final PrecisProfile PROFILE = PrecisProfiles.USERNAME_CASE_MAPPED;
    private static final String PREFIX = "not a valid username under RFC 8265 (UsernameCaseMapped): ";

    private Usernames() {
    }

    /** A username that the profile refuses; the message says why, for a realm file's error. */
    public static final class InvalidUsernameException extends IllegalArgumentException {
        InvalidUsernameException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The canonical form of a username (RFC 8265 §3.4 enforcement).
     *
     * @throws InvalidUsernameException when the username is empty or has a character the profile disallows
     */
    public static String canonical(String username) {
        if (username == null || username.isEmpty()) {
            throw new InvalidUsernameException(PREFIX + "it is empty", null);
        }
        try {
            return PROFILE.enforce(username);
        } catch (IllegalArgumentException e) {
            throw new InvalidUsernameException(describe(username, e), e);
        }
    }

    /** The canonical form, or empty when the profile refuses the username. */
    public static Optional<String> canonicalIfValid(String username) {
        try {
            return Optional.of(canonical(username));
        } catch (InvalidUsernameException e) {
            return Optional.empty();
        }
    }

    /**
     * What a typed username is compared and counted by (for example a per-account login throttle): its
     * canonical form, or the text itself when the profile refuses it. A refused text never equals the
     * canonical form of another name, because every canonical form is itself accepted unchanged.
     */
    public static String comparable(String typed) {
        return canonicalIfValid(typed).orElse(typed == null ? "" : typed);
    }

    private static String describe(String username, IllegalArgumentException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return PREFIX + reason;
    }
}
