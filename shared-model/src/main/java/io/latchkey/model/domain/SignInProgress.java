package io.latchkey.model.domain;

import java.util.List;
import java.util.Objects;

/**
 * A sign-in under way for one pending authorization request: who proved themselves and how so far. It opens no
 * session: that happens once every factor the policy asks for is proven, so a request that stops half-way (a
 * password without its second factor) can never reach consent or a code.
 *
 * @param authTime            epoch seconds of the first factor
 * @param secondFactorEnrolled the user has a TOTP authenticator (the optional policy asks for it)
 */
public record SignInProgress(String subject, List<String> amr, long authTime, boolean secondFactorEnrolled) {

    public SignInProgress {
        Objects.requireNonNull(subject, "subject");
        amr = List.copyOf(Objects.requireNonNullElse(amr, List.of()));
    }

    public SignInProgress withAmr(List<String> more) {
        return new SignInProgress(subject, more, authTime, secondFactorEnrolled);
    }

    public SignInProgress withSecondFactorEnrolled() {
        return new SignInProgress(subject, amr, authTime, true);
    }
}
