package io.latchkey.authorize.login;

import io.latchkey.model.directory.PasskeyDirectory;
import io.latchkey.model.directory.SecondFactorDirectory;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** What a user can sign in with beside a password: read from the directory when a sign-in needs to know. */
@ApplicationScoped
public class LoginOptions {

    /** The user's enrolled options. */
    public record Enrolled(boolean totp, int passkeys) {

        /** Something to prove a second factor with. */
        public boolean any() {
            return totp || passkeys > 0;
        }
    }

    private final SecondFactorDirectory secondFactors;
    private final PasskeyDirectory passkeys;

    public LoginOptions(SecondFactorDirectory secondFactors, PasskeyDirectory passkeys) {
        this.secondFactors = secondFactors;
        this.passkeys = passkeys;
    }

    public Uni<Enrolled> of(String userId) {
        return Uni.combine().all().unis(secondFactors.findTotp(userId), passkeys.count(userId))
                .with((totp, keys) -> new Enrolled(totp.isPresent(), keys));
    }
}
