package io.latchkey.model.audit;

/** Every kind of event the audit trail records, by the name stored in {@code audit_events.type}. */
public enum AuditEventType {
    LOGIN_SUCCEEDED("login.succeeded"),
    LOGIN_FAILED("login.failed"),
    LOGIN_THROTTLED("login.throttled"),
    CONSENT_GIVEN("consent.given"),
    CONSENT_WITHDRAWN("consent.withdrawn"),
    LOGOUT("logout"),
    CODE_REPLAY_DETECTED("code.replay-detected"),
    REFRESH_REUSE_DETECTED("refresh.reuse-detected"),
    /** A rotated refresh token presented again within its client's reuse grace: answered, nothing revoked. */
    REFRESH_REUSE_IN_GRACE("refresh.reuse-in-grace"),
    USER_CREATED("user.created"),
    USER_UPDATED("user.updated"),
    USER_DISABLED("user.disabled"),
    USER_DELETED("user.deleted"),
    PASSWORD_SET("user.password-set"),
    GROUP_CREATED("group.created"),
    GROUP_UPDATED("group.updated"),
    GROUP_DELETED("group.deleted"),
    CLIENT_REGISTERED("client.registered"),
    CLIENT_UPDATED("client.updated"),
    CLIENT_DELETED("client.deleted"),
    SESSION_ENDED("session.ended"),
    SESSIONS_ENDED("sessions.ended"),
    // Login options: enrolment, each use and each failure of a second factor or a passkey, and an admin reset.
    TOTP_ENROLLED("totp.enrolled"),
    TOTP_REMOVED("totp.removed"),
    SECOND_FACTOR_SUCCEEDED("second-factor.succeeded"),
    SECOND_FACTOR_FAILED("second-factor.failed"),
    RECOVERY_CODES_REGENERATED("recovery-codes.regenerated"),
    PASSKEY_REGISTERED("passkey.registered"),
    PASSKEY_RENAMED("passkey.renamed"),
    PASSKEY_REMOVED("passkey.removed"),
    PASSKEY_SUCCEEDED("passkey.succeeded"),
    PASSKEY_FAILED("passkey.failed"),
    LOGIN_OPTIONS_RESET("user.login-options-reset");

    private final String value;

    AuditEventType(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static AuditEventType of(String value) {
        for (AuditEventType type : values()) {
            if (type.value.equals(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown audit event type " + value);
    }
}
