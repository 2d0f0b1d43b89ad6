package io.latchkey.authorize.otp;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Confirms a TOTP enrolment begun for an owner (a sign-in's request, or an account session): the first code from the
 * person's app against the pending secret. A wrong code or an expired enrolment stores nothing.
 */
@ApplicationScoped
public class TotpEnrolling {

    private final TotpEnrolments enrolments;
    private final SecondFactors secondFactors;

    public TotpEnrolling(TotpEnrolments enrolments, SecondFactors secondFactors) {
        this.enrolments = enrolments;
        this.secondFactors = secondFactors;
    }

    /** The ten recovery codes to show once; empty when the code is wrong or nothing is pending. */
    public Uni<Optional<List<String>>> confirm(String ownerHash, String userId, String code) {
        return enrolments.pending(ownerHash, userId).flatMap(secret -> {
            if (secret.isEmpty() || code == null) {
                return Uni.createFrom().item(Optional.<List<String>>empty());
            }
            return secondFactors.enrol(userId, secret.get(), code)
                    .call(codes -> enrolments.finish(ownerHash))
                    .map(Optional::of)
                    .onFailure(CodeRejectedException.class).recoverWithItem(Optional.empty());
        });
    }
}
