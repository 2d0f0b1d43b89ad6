package io.latchkey.authorize.passkeys;

import io.latchkey.authorize.flow.StepForms;
import io.latchkey.model.directory.PasskeyDirectory;
import io.latchkey.model.domain.AuthorizationRequest;
import io.latchkey.model.domain.SignInProgress;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Passkey sign-in for a pending authorization request: the options its page carries, and the check of what the
 * browser signed. A challenge is bound to the request (and, on the second-factor page, to the signed-in user), so an
 * assertion made for one page is worthless at another.
 */
@ApplicationScoped
public class PasskeyAssertions {

    /** What a verified assertion proves. */
    public sealed interface Result {
        /** A sign-in with this passkey alone; verified by the authenticator, so multi-factor. */
        record FirstFactor(String subject, List<String> amr) implements Result {
        }

        /** The passkey of the user whose first factor is already proven. */
        record SecondFactor(List<String> amr) implements Result {
        }

        /** Not accepted (the reason is in the audit trail, never on the page). */
        record Refused(PasskeyException.Reason reason) implements Result {
        }
    }

    private final PasskeyConfig config;
    private final PasskeyChallenges challenges;
    private final PasskeyCeremonies ceremonies;
    private final PasskeyDirectory passkeys;

    public PasskeyAssertions(PasskeyConfig config, PasskeyChallenges challenges, PasskeyCeremonies ceremonies,
            PasskeyDirectory passkeys) {
        this.config = config;
        this.challenges = challenges;
        this.ceremonies = ceremonies;
        this.passkeys = passkeys;
    }

    /**
     * The options of a page of this request: any discoverable passkey on the login page, the user's own on the
     * second-factor page (the challenge then names the user, so another user's passkey is refused); empty when
     * passkeys are off.
     */
    public Uni<Optional<PasskeyCeremonies.AuthenticationOptions>> options(AuthorizationRequest request) {
        if (!config.enabled()) {
            return Uni.createFrom().item(Optional.empty());
        }
        SignInProgress signIn = request.signIn();
        Uni<List<PasskeyDirectory.Passkey>> allow = signIn == null ? Uni.createFrom().item(List.of()) : passkeys.list(signIn.subject());
        return allow.flatMap(keys -> challenges.issue(PasskeyChallenges.Purpose.AUTHENTICATION, request.id(),
                        signIn == null ? null : signIn.subject())
                .map(challenge -> Optional.of(ceremonies.authenticationOptions(challenge, keys))));
    }

    public Uni<Result> verify(StepForms.StepForm step) {
        String clientData = step.field("client_data_json");
        String userHandle = step.field("user_handle");
        var response = new PasskeyCeremonies.AssertionResponse(step.field("credential_id"), clientData,
                step.field("authenticator_data"), step.field("signature"),
                userHandle == null || userHandle.isEmpty() ? null : userHandle);
        SignInProgress signIn = step.request().signIn();
        return Uni.createFrom().item(() -> PasskeyCeremonies.claimedChallenge(clientData))
                .flatMap(value -> challenges.take(value, PasskeyChallenges.Purpose.AUTHENTICATION, step.request().id()))
                .flatMap(challenge -> ceremonies.authenticate(challenge, response))
                .map(verified -> {
                    if (signIn == null) {
                        // Alone, a passkey must have verified the person (PIN, biometric): possession only would be
                        // weaker than the password it replaces.
                        return verified.userVerified()
                                ? (Result) new Result.FirstFactor(verified.userId(), PasskeyAmr.amr(verified))
                                : new Result.Refused(PasskeyException.Reason.USER_NOT_PRESENT);
                    }
                    return signIn.subject().equals(verified.userId())
                            ? new Result.SecondFactor(PasskeyAmr.amr(verified))
                            : new Result.Refused(PasskeyException.Reason.USER_MISMATCH);
                })
                .onFailure(PasskeyException.class)
                .recoverWithItem(failure -> new Result.Refused(((PasskeyException) failure).reason()));
    }
}
