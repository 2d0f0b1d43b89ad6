package io.latchkey.admin.loginoptions;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What GET /admin/users/{id}/login-options answers: whether the user has a TOTP authenticator and how many recovery
 * codes are left, and their passkeys by the id the DELETE takes. Never a secret, a public key or a credential id:
 * an operator recognises a passkey by its name and dates. Times are ISO-8601 UTC.
 */
public record LoginOptionsReport(String user, Totp totp, List<Passkey> passkeys) {

    /** @param enrolledAt when the authenticator was confirmed; absent when there is none */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Totp(
            boolean enrolled,
            @JsonProperty("recovery_codes_left") int recoveryCodesLeft,
            @JsonProperty("enrolled_at") String enrolledAt) {
    }

    /**
     * @param backupEligible WebAuthn §6.1.3 BE: the passkey may be synced to the user's other devices
     * @param lastUsedAt     the last sign-in with it; null before the first
     */
    public record Passkey(
            long id,
            String name,
            @JsonProperty("created_at") String createdAt,
            @JsonProperty("last_used_at") String lastUsedAt,
            @JsonProperty("backup_eligible") boolean backupEligible) {
    }
}
