package io.latchkey.authorize.passkeys;

import io.latchkey.model.authn.Amr;
import io.latchkey.model.directory.PasskeyDirectory;
import java.util.ArrayList;
import java.util.List;

/** The RFC 8176 Authentication Method Reference values of a passkey sign-in. */
public final class PasskeyAmr {

    private PasskeyAmr() {
    }

    /**
     * {@code hwk} for a device-bound key (BE clear: the private key cannot leave the authenticator), {@code swk} for a
     * synced one (BE set, WebAuthn §6.1.3), {@code user} for the presence test every assertion proves, and {@code mfa}
     * only when the authenticator verified the user (UV): possession and a PIN or biometric are two factors.
     */
    public static List<String> amr(PasskeyCeremonies.Verified verified) {
        List<String> amr = new ArrayList<>(held(verified.backupEligible()));
        if (verified.userVerified()) {
            amr.add(Amr.MFA);
        }
        return List.copyOf(amr);
    }

    /** A passkey just made: the key is held (its presence test passed); whether it was verified is not asked. */
    public static List<String> amr(PasskeyDirectory.Passkey made) {
        return held(made.backupEligible());
    }

    private static List<String> held(boolean backupEligible) {
        return List.of(backupEligible ? Amr.SWK : Amr.HWK, Amr.USER);
    }
}
