package io.latchkey.authorize.request;

import io.latchkey.authorize.flow.ResponseTarget;
import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.domain.GrantType;
import io.latchkey.model.form.Parameters;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import io.latchkey.model.oauth.PrintableText;
import io.latchkey.model.oauth.SpaceDelimited;
import io.latchkey.model.pkce.Pkce;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The validation order of an authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3, OIDC Core §3.1.2.1),
 * top to bottom. The first failing check decides the answer.
 *
 * <p>Until client_id and redirect_uri are proven, an error is shown to the person on a page and never
 * redirected (RFC 6749 §4.1.2.1, RFC 9700 §4.11: no open redirector). After that, every error goes back
 * to the client.
 */
public final class AuthorizationChecks {

    /** Longest accepted value of each parameter in bytes of UTF-8; any parameter is also bounded by the whole request. */
    public static final Map<String, Integer> MAX_LENGTH = Map.ofEntries(
            Map.entry("client_id", 255),
            Map.entry("redirect_uri", 2048),
            Map.entry("response_type", 64),
            Map.entry("response_mode", 32),
            Map.entry("scope", 1024),
            Map.entry("state", 1024),
            Map.entry("nonce", 512),
            Map.entry("code_challenge", 128),
            Map.entry("code_challenge_method", 16),
            Map.entry("prompt", 64),
            Map.entry("max_age", 10),
            Map.entry("login_hint", 255),
            Map.entry("ui_locales", 128),
            Map.entry("display", 32),
            Map.entry("acr_values", 255),
            Map.entry("claims_locales", 128),
            Map.entry("id_token_hint", 4096));

    public static final Set<String> RESPONSE_MODES = Set.of("query", "fragment");
    public static final Set<String> PROMPTS = Set.of("none", "login", "consent");

    private static final Pattern DPOP_JKT = Pattern.compile("[A-Za-z0-9_-]{43}");

    /** A check of a request whose client and redirect_uri are proven; empty when it passes. */
    record Check(String rule, BiFunction<Parameters, ClientRegistration, Optional<OAuthException>> test) {
    }

    /** Checks whose failure is redirected to the client, in order. */
    static final List<Check> REDIRECTED = List.of(
            new Check("no parameter twice (RFC 6749 §3.1)", AuthorizationChecks::noRepeatedParameter),
            new Check("no parameter over its length limit", AuthorizationChecks::noOversizedParameter),
            new Check("no request objects, no request_uri but PAR's (OIDC Core §3.1.2.6, §6; RFC 9126 §4)", AuthorizationChecks::noRequestObject),
            new Check("response_type=code (RFC 6749 §4.1.1; OAuth 2.1 has no implicit grant)", AuthorizationChecks::responseTypeCode),
            new Check("response_mode query or fragment", AuthorizationChecks::supportedResponseMode),
            new Check("client registered for authorization_code (RFC 6749 §4.1.2.1 unauthorized_client)", AuthorizationChecks::clientMayUseCodes),
            new Check("code_challenge with method S256 for every client (RFC 7636 §4.3, RFC 9700 §2.1.1)", AuthorizationChecks::pkce),
            new Check("every scope known and allowed for the client (RFC 6749 §3.3)", AuthorizationChecks::scopesAllowed),
            new Check("prompt values known; none alone (OIDC Core §3.1.2.1)", AuthorizationChecks::promptValues),
            new Check("max_age a non-negative integer (OIDC Core §3.1.2.1)", AuthorizationChecks::maxAge),
            new Check("dpop_jkt a JWK SHA-256 thumbprint in base64url (RFC 9449 §10, RFC 7638 §3)", AuthorizationChecks::dpopJkt));

    private AuthorizationChecks() {
    }

    /** The client_id of the request, before the client is looked up; failures are shown on a page. */
    public static String requireClientId(Parameters params) {
        if (params.repeated("client_id")) {
            throw invalid("client_id is repeated.");
        }
        if (params.length("client_id") > MAX_LENGTH.get("client_id")) {
            throw invalid("client_id is too long.");
        }
        return params.single("client_id").orElseThrow(() -> invalid("client_id is missing."));
    }

    /** The redirect_uri, proven registered for the client; failures are shown on a page. */
    public static String requireRedirectUri(Parameters params, ClientRegistration client) {
        if (params.repeated("redirect_uri")) {
            throw invalid("redirect_uri is repeated.");
        }
        if (params.length("redirect_uri") > MAX_LENGTH.get("redirect_uri")) {
            throw invalid("redirect_uri is too long.");
        }
        // OIDC Core §3.1.2.1 makes redirect_uri REQUIRED, so even a client with one registration names it.
        String redirectUri = params.single("redirect_uri").orElseThrow(() -> invalid("redirect_uri is missing."));
        if (!RedirectUris.isRegistered(client, redirectUri)) {
            throw invalid("redirect_uri is not registered for this client.");
        }
        return redirectUri;
    }

    /** Where errors of the remaining checks go; state is echoed only when it is one value of sane size. */
    public static ResponseTarget target(Parameters params, String redirectUri) {
        String mode = params.repeated("response_mode") ? null : params.single("response_mode")
                .filter(RESPONSE_MODES::contains).orElse("query");
        String state = params.repeated("state") || params.length("state") > MAX_LENGTH.get("state")
                ? null : params.single("state").orElse(null);
        return new ResponseTarget(redirectUri, mode == null ? "query" : mode, state);
    }

    /** Runs the redirected checks in order; the first failure, if any. */
    public static Optional<OAuthException> firstFailure(Parameters params, ClientRegistration client) {
        for (Check check : REDIRECTED) {
            Optional<OAuthException> failure = check.test().apply(params, client);
            if (failure.isPresent()) {
                return failure;
            }
        }
        return Optional.empty();
    }

    public static List<String> scopes(Parameters params) {
        return SpaceDelimited.split(params.single("scope").orElse(null));
    }

    /** OIDC Core §3.1.2.1 acr_values: the classes the client would like, in order of preference. */
    public static List<String> acrValues(Parameters params) {
        return SpaceDelimited.split(params.single("acr_values").orElse(null));
    }

    public static List<String> prompts(Parameters params) {
        return SpaceDelimited.split(params.single("prompt").orElse(null));
    }

    private static Optional<OAuthException> noRepeatedParameter(Parameters params, ClientRegistration client) {
        return params.firstRepeated().map(name -> invalid(name + " is repeated."));
    }

    private static Optional<OAuthException> noOversizedParameter(Parameters params, ClientRegistration client) {
        return MAX_LENGTH.entrySet().stream()
                .filter(e -> params.length(e.getKey()) > e.getValue())
                .map(e -> invalid(e.getKey() + " is longer than " + e.getValue() + " bytes."))
                .findFirst();
    }

    private static Optional<OAuthException> noRequestObject(Parameters params, ClientRegistration client) {
        return requestObject(params);
    }

    /**
     * OIDC Core §3.1.2.6: a request object ({@code request}) is not supported, nor a {@code request_uri} other than a
     * pushed request's (RFC 9126 §4), which is resolved before these checks run; empty when neither is sent.
     */
    public static Optional<OAuthException> requestObject(Parameters params) {
        if (params.has("request")) {
            return Optional.of(OAuthError.REQUEST_NOT_SUPPORTED.withDescription(
                    "Request objects (the request parameter) are not supported: send the parameters themselves, or push them to /par."));
        }
        if (params.has("request_uri")) {
            return Optional.of(OAuthError.REQUEST_URI_NOT_SUPPORTED.withDescription(
                    "Only request_uri values from this provider's /par endpoint (RFC 9126) are supported."));
        }
        return Optional.empty();
    }

    /**
     * A failure before client and redirect_uri are proven, shown on a page: when the request is a request object, that
     * is what the person is told (the parameters were likely inside it), not the parameter found missing.
     */
    public static OAuthException unproven(Parameters params, OAuthException failure) {
        return requestObject(params).orElse(failure);
    }

    private static Optional<OAuthException> responseTypeCode(Parameters params, ClientRegistration client) {
        Optional<String> type = params.single("response_type");
        if (type.isEmpty()) {
            return Optional.of(invalid("response_type is missing."));
        }
        if (!"code".equals(type.get())) {
            return Optional.of(OAuthError.UNSUPPORTED_RESPONSE_TYPE.withDescription("Only response_type=code is supported."));
        }
        return Optional.empty();
    }

    private static Optional<OAuthException> supportedResponseMode(Parameters params, ClientRegistration client) {
        return params.single("response_mode").filter(m -> !RESPONSE_MODES.contains(m))
                .map(m -> invalid("response_mode must be query or fragment."));
    }

    private static Optional<OAuthException> clientMayUseCodes(Parameters params, ClientRegistration client) {
        return client.allows(GrantType.AUTHORIZATION_CODE) ? Optional.empty()
                : Optional.of(OAuthError.UNAUTHORIZED_CLIENT.withDescription("This client may not use the authorization code flow."));
    }

    private static Optional<OAuthException> pkce(Parameters params, ClientRegistration client) {
        try {
            Pkce.requireValidChallenge(params.single("code_challenge").orElse(null),
                    params.single("code_challenge_method").orElse(null));
            return Optional.empty();
        } catch (OAuthException e) {
            return Optional.of(e);
        }
    }

    private static Optional<OAuthException> scopesAllowed(Parameters params, ClientRegistration client) {
        List<String> scopes = scopes(params);
        if (scopes.isEmpty()) {
            return Optional.of(OAuthError.INVALID_SCOPE.withDescription("scope is missing."));
        }
        return scopes.stream().filter(s -> !client.scopes().contains(s)).findFirst()
                .map(s -> OAuthError.INVALID_SCOPE.withDescription("The scope " + PrintableText.quoted(s) + " is not available to this client."));
    }

    private static Optional<OAuthException> promptValues(Parameters params, ClientRegistration client) {
        List<String> prompts = prompts(params);
        Optional<String> unknown = prompts.stream().filter(p -> !PROMPTS.contains(p)).findFirst();
        if (unknown.isPresent()) {
            return Optional.of(invalid("prompt " + PrintableText.quoted(unknown.get()) + " is not supported; use none, login or consent."));
        }
        if (prompts.contains("none") && prompts.size() > 1) {
            return Optional.of(invalid("prompt=none cannot be combined with other values."));
        }
        return Optional.empty();
    }

    private static Optional<OAuthException> maxAge(Parameters params, ClientRegistration client) {
        Optional<String> maxAge = params.single("max_age");
        if (maxAge.isPresent() && !maxAge.get().matches("[0-9]{1,10}")) {
            return Optional.of(invalid("max_age must be a number of seconds."));
        }
        return Optional.empty();
    }

    private static Optional<OAuthException> dpopJkt(Parameters params, ClientRegistration client) {
        // A SHA-256 thumbprint is 32 bytes: 43 characters of base64url without padding.
        return params.single("dpop_jkt").filter(jkt -> !DPOP_JKT.matcher(jkt).matches())
                .map(jkt -> invalid("dpop_jkt must be the base64url JWK SHA-256 thumbprint of the DPoP key (43 characters)."));
    }

    private static OAuthException invalid(String description) {
        return new OAuthException(OAuthError.INVALID_REQUEST, description);
    }
}
