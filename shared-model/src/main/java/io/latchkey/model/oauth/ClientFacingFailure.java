package io.latchkey.model.oauth;

/**
 * A failure of a layer below the protocol (the stores) that knows which protocol error the client is
 * answered with. The error model depends on nothing; the layers below implement this, so that
 * {@link OAuthException#from} translates their failures without knowing them.
 */
public interface ClientFacingFailure {

    /** The error the client sees; the failure itself stays the cause, for the log. */
    OAuthException toOAuth();
}
