package io.latchkey.model.oauth;

/**
 * The error codes of RFC 6749 (§4.1.2.1, §5.2), RFC 6750 (§3.1), RFC 7591 (§3.2.2), RFC 9449 (§5, §8) and OpenID Connect Core (§3.1.2.6),
 * each with the HTTP status it is answered with when it is not carried by a redirect.
 */
public enum OAuthError {
    INVALID_REQUEST("invalid_request", 400),
    /** RFC 6749 §5.2: 401 when the client tried to authenticate; the mapper adds WWW-Authenticate. */
    INVALID_CLIENT("invalid_client", 401),
    INVALID_GRANT("invalid_grant", 400),
    UNAUTHORIZED_CLIENT("unauthorized_client", 400),
    UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", 400),
    INVALID_SCOPE("invalid_scope", 400),
    ACCESS_DENIED("access_denied", 403),
    UNSUPPORTED_RESPONSE_TYPE("unsupported_response_type", 400),
    /** RFC 6750 §3.1: the bearer token is expired, revoked, malformed or otherwise invalid. */
    INVALID_TOKEN("invalid_token", 401),
    INSUFFICIENT_SCOPE("insufficient_scope", 403),
    /** OpenID Connect Core §3.1.2.6: prompt=none could not be honoured. */
    LOGIN_REQUIRED("login_required", 400),
    CONSENT_REQUIRED("consent_required", 400),
    INTERACTION_REQUIRED("interaction_required", 400),
    /** RFC 7591 §3.2.2: a redirect URI of a registration request breaks the redirect URI rules. */
    INVALID_REDIRECT_URI("invalid_redirect_uri", 400),
    /** RFC 7591 §3.2.2: any other client metadata that is not valid or not supported. */
    INVALID_CLIENT_METADATA("invalid_client_metadata", 400),
    /** OpenID Connect Core §3.1.2.6: request objects (the request parameter) are not supported. */
    REQUEST_NOT_SUPPORTED("request_not_supported", 400),
    /** OpenID Connect Core §3.1.2.6: request_uri is supported only as PAR's (RFC 9126). */
    REQUEST_URI_NOT_SUPPORTED("request_uri_not_supported", 400),
    /** OpenID Connect Core §3.1.2.6: a PAR request_uri that is unknown, used, expired or another client's. */
    INVALID_REQUEST_URI("invalid_request_uri", 400),
    /** RFC 9449 §5: the DPoP proof is missing where required, malformed, or fails a check. */
    INVALID_DPOP_PROOF("invalid_dpop_proof", 400),
    /** RFC 9449 §8: the proof must carry the server's current nonce; the answer carries it in DPoP-Nonce. */
    USE_DPOP_NONCE("use_dpop_nonce", 400),
    SERVER_ERROR("server_error", 500),
    /** Redis or another dependency is down; the mapper adds Retry-After. */
    TEMPORARILY_UNAVAILABLE("temporarily_unavailable", 503);

    private final String code;
    private final int status;

    OAuthError(String code, int status) {
        this.code = code;
        this.status = status;
    }

    /** The value of the {@code error} parameter, exactly as the RFC spells it. */
    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    public OAuthException withDescription(String description) {
        return new OAuthException(this, description);
    }
}
