package io.latchkey.authorize.passkeys;

import io.latchkey.model.directory.PasskeyDirectory;
import io.latchkey.model.directory.UserDirectory;
import io.latchkey.model.form.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Making a passkey for a signed-in user, during a sign-in (bound to its request) or on the account page (bound to the
 * session): the options the page carries and the check of what the browser made.
 */
@ApplicationScoped
public class PasskeyRegistrations {

    private final PasskeyConfig config;
    private final PasskeyChallenges challenges;
    private final PasskeyCeremonies ceremonies;
    private final PasskeyDirectory passkeys;
    private final UserDirectory users;

    public PasskeyRegistrations(PasskeyConfig config, PasskeyChallenges challenges, PasskeyCeremonies ceremonies,
            PasskeyDirectory passkeys, UserDirectory users) {
        this.config = config;
        this.challenges = challenges;
        this.ceremonies = ceremonies;
        this.passkeys = passkeys;
        this.users = users;
    }

    /** Creation options for this user, bound to {@code binding}; empty when passkeys are off. */
    public Uni<Optional<PasskeyCeremonies.RegistrationOptions>> options(String userId, String binding) {
        if (!config.enabled()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return Uni.combine().all().unis(passkeys.userHandle(userId), passkeys.list(userId), users.find(userId))
                .asTuple()
                .flatMap(t -> challenges.issue(PasskeyChallenges.Purpose.REGISTRATION, binding, userId).map(challenge -> {
                    String name = t.getItem3().map(u -> u.username()).orElse(userId);
                    Object displayName = t.getItem3().map(u -> u.claims().get("name")).orElse(null);
                    return Optional.of(ceremonies.registrationOptions(t.getItem1(), name,
                            displayName instanceof String s && !s.isBlank() ? s : name, t.getItem2(), challenge));
                }));
    }

    /**
     * Verifies and stores the passkey the browser made. The RFC 8176 methods it proves, or empty when it was refused
     * (the reason is audited).
     */
    public Uni<Optional<List<String>>> register(String userId, String binding, Parameters form) {
        String clientData = form.single("client_data_json").orElse(null);
        List<String> transports = form.single("transports").map(t -> Arrays.stream(t.split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).limit(8).toList()).orElse(List.of());
        var response = new PasskeyCeremonies.RegistrationResponse(form.single("credential_id").orElse(null), clientData,
                form.single("attestation_object").orElse(null), transports);
        return Uni.createFrom().item(() -> PasskeyCeremonies.claimedChallenge(clientData))
                .flatMap(value -> challenges.take(value, PasskeyChallenges.Purpose.REGISTRATION, binding))
                .flatMap(challenge -> ceremonies.register(userId, challenge, response, form.single("name").orElse(null)))
                .map(made -> Optional.of(PasskeyAmr.amr(made)))
                .onFailure(PasskeyException.class).recoverWithItem(Optional.empty());
    }
}
