package io.latchkey.admin.auth;

/**
 * The scopes that open admin-service, each for one area. A confidential client gets them through
 * client_credentials at token-service when its registration lists them; there is no admin password.
 */
public enum AdminScope {
    /**
     * SCIM 2.0 users and groups (/scim/v2), and the users' login options beside the password
     * (/admin/users/{id}/login-options, /admin/users/{id}/passkeys): whoever may set a password may reset those.
     */
    SCIM("scim"),
    /** Client registration (RFC 7591/7592): an access token with this scope is an initial access token. */
    CLIENTS("clients"),
    /** Users' SSO sessions and refresh families (/admin/users/{id}/sessions, /admin/users/{id}/families). */
    SESSIONS("sessions"),
    /** The audit trail (/admin/events). */
    AUDIT("audit");

    private final String value;

    AdminScope(String value) {
        this.value = value;
    }

    /** The scope as it appears in the token's scope claim. */
    public String value() {
        return value;
    }
}
