package io.latchkey.model.authn;

import java.util.ArrayList;
import java.util.List;

/**
 * Authentication method reference values (RFC 8176 §2) that Latchkey puts in a session and in the ID token's
 * {@code amr}: only what was actually used in the sign-in.
 */
public final class Amr {

    /** A password. */
    public static final String PWD = "pwd";
    /** A one-time password (RFC 6238 TOTP, or a single-use recovery code). */
    public static final String OTP = "otp";
    /** A key held in hardware: a device-bound passkey. */
    public static final String HWK = "hwk";
    /** A key held in software: a synced (backup-eligible) passkey. */
    public static final String SWK = "swk";
    /** A user-presence test (the authenticator's touch). */
    public static final String USER = "user";
    /** More than one factor. */
    public static final String MFA = "mfa";

    private Amr() {
    }

    public static boolean isMultiFactor(List<String> amr) {
        return amr.contains(MFA);
    }

    /**
     * The methods of one sign-in made of two steps. Two steps from different categories (something known, a
     * password; something held, an OTP generator or a key) are multi-factor; a step that was multi-factor on its
     * own (a passkey with user verification) keeps {@code mfa}.
     */
    public static List<String> combine(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        second.stream().filter(m -> !all.contains(m)).forEach(all::add);
        boolean knows = all.contains(PWD);
        boolean holds = all.contains(OTP) || all.contains(HWK) || all.contains(SWK);
        all.remove(MFA);
        if (knows && holds || isMultiFactor(first) || isMultiFactor(second)) {
            all.add(MFA);
        }
        return List.copyOf(all);
    }
}
