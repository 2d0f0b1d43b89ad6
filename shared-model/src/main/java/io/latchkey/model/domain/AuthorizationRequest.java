package io.latchkey.model.domain;

import java.util.List;
import java.util.Objects;

/**
 * A validated authorization request waiting for login and consent. The browser carries only its id;
 * {@code browserBinding} ties it to the browser that started it, {@code csrfToken} to the forms it shows.
 *
 * @param maxAge     OIDC Core §3.1.2.1 max_age in seconds; null when absent
 * @param createdAt  epoch seconds
 * @param clientAddress the address whose pending-request slot it holds; null until stored
 * @param acrValues  OIDC Core §3.1.2.1 acr_values, in order of preference
 * @param signIn     the sign-in under way for this request (a first factor proven, more asked); null when none
 * @param dpopJkt    the DPoP key thumbprint the code will be bound to (RFC 9449 §10); null when not bound
 */
public record AuthorizationRequest(
        String id,
        String clientId,
        String redirectUri,
        String responseMode,
        List<String> scopes,
        String state,
        String nonce,
        String codeChallenge,
        List<String> prompt,
        Long maxAge,
        String loginHint,
        List<String> uiLocales,
        String browserBinding,
        String csrfToken,
        long createdAt,
        String clientAddress,
        List<String> acrValues,
        SignInProgress signIn,
        String dpopJkt) {

    public static final int VERSION = 1;

    public AuthorizationRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(codeChallenge, "codeChallenge");
        scopes = List.copyOf(Objects.requireNonNullElse(scopes, List.of()));
        prompt = List.copyOf(Objects.requireNonNullElse(prompt, List.of()));
        uiLocales = List.copyOf(Objects.requireNonNullElse(uiLocales, List.of()));
        acrValues = List.copyOf(Objects.requireNonNullElse(acrValues, List.of()));
    }

    /** The address whose pending-request slot this request holds until it is answered. */
    public AuthorizationRequest withClientAddress(String address) {
        return new AuthorizationRequest(id, clientId, redirectUri, responseMode, scopes, state, nonce, codeChallenge, prompt,
                maxAge, loginHint, uiLocales, browserBinding, csrfToken, createdAt, address, acrValues, signIn, dpopJkt);
    }

    /** The request with the sign-in under way for it. */
    public AuthorizationRequest withSignIn(SignInProgress progress) {
        return new AuthorizationRequest(id, clientId, redirectUri, responseMode, scopes, state, nonce, codeChallenge, prompt,
                maxAge, loginHint, uiLocales, browserBinding, csrfToken, createdAt, clientAddress, acrValues, progress, dpopJkt);
    }
}
