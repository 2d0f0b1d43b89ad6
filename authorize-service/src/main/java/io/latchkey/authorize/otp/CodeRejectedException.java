package io.latchkey.authorize.otp;

/** The code that should confirm a new TOTP authenticator is not the authenticator's: nothing was stored. */
public class CodeRejectedException extends RuntimeException {

    public CodeRejectedException() {
        super("The code does not match the authenticator being enrolled");
    }
}
