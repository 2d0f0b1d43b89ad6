package io.latchkey.authorize.passkeys;

/**
 * A ceremony that was refused. The reason goes to the audit trail and lets the caller choose a page; its message
 * is for logs and never shown to the person, since details help an attacker more than them.
 */
public class PasskeyException extends RuntimeException {

    /** Why a registration or an assertion was refused. */
    public enum Reason {
        /** The challenge is unknown, used, expired, for another purpose or ceremony, or not the one signed. */
        BAD_CHALLENGE,
        /** clientDataJSON names another origin, or is cross-origin (WebAuthn §7.2 steps 13-14). */
        BAD_ORIGIN,
        /** authenticatorData is for another RP ID (WebAuthn §7.2 step 15). */
        BAD_RP,
        /** The user was not present (UP flag clear, WebAuthn §7.2 step 16). */
        USER_NOT_PRESENT,
        BAD_SIGNATURE,
        /** The signature counter did not grow: a cloned authenticator (WebAuthn §6.1.1, §7.2 step 22). */
        COUNTER,
        /** The BE flag differs from the one registered (WebAuthn §6.1.3: backup eligibility never changes). */
        BACKUP_ELIGIBILITY,
        /** The credential is not registered. */
        UNKNOWN_CREDENTIAL,
        /** The credential is another user's than the user handle, or than the user the ceremony was for. */
        USER_MISMATCH,
        /** The credential id is registered already (WebAuthn §7.1 step 26). */
        DUPLICATE_CREDENTIAL,
        /** An attestation format or trust path that cannot be verified without metadata. */
        BAD_ATTESTATION,
        /** A public key algorithm that was not offered. */
        BAD_ALGORITHM,
        /** Not decodable: bad base64url, CBOR, JSON, or a wrong type in clientDataJSON. */
        MALFORMED,
        /** Another assertion with the same counter value won the race to be recorded. */
        CONCURRENT_USE;

        /** The name in audit details. */
        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private final Reason reason;

    public PasskeyException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public PasskeyException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
