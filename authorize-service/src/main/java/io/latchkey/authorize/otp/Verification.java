package io.latchkey.authorize.otp;

import java.time.Duration;

/** The answer to one second-factor attempt ({@link SecondFactors#verify}). */
public sealed interface Verification {

    /** The code was right and is now used up; {@code method}: {@code otp} or {@code recovery-code}. */
    record Accepted(String method) implements Verification {
    }

    /**
     * Wrong, malformed, already used in its time step, or no TOTP enrolled: one answer for all. {@code retryAfter}
     * is non-zero when this failure started a wait.
     */
    record Rejected(Duration retryAfter) implements Verification {
    }

    /** Not checked at all: the user's second-factor budget must wait {@code retryAfter}. */
    record Throttled(Duration retryAfter) implements Verification {
    }
}
