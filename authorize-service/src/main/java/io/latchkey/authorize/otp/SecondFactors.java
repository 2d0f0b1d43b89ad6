package io.latchkey.authorize.otp;

import io.latchkey.authorize.login.LoginThrottleConfig;
import io.latchkey.model.audit.AuditEvent;
import io.latchkey.model.audit.AuditEventType;
import io.latchkey.model.audit.AuditTrail;
import io.latchkey.model.directory.SecondFactorDirectory;
import io.latchkey.model.store.LoginThrottleStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The second factor after a password: a TOTP code (RFC 6238) or a recovery code, and the enrolment, renewal and
 * removal of both.
 *
 * <p>Attempts are throttled per user on a budget of their own ({@value #BUDGET}) with the account policy of
 * passwords ({@code latchkey.login-throttle.account}): whoever reaches this step knows the password, so the six
 * digits are all that is left to guess. As for passwords each attempt is counted before it is checked
 * ({@link LoginThrottleStore#reserve}), so parallel guesses get no more checks than sequential ones; a success gives
 * back only its own count ({@link LoginThrottleStore#release}), so the owner signing in does not wipe an attacker's
 * failures. A code accepted once cannot be used again in its step (RFC 6238 §5.2), and the answer to a replay is
 * that of a wrong code.
 */
@ApplicationScoped
public class SecondFactors {

    static final String BUDGET = "otp";
    public static final String OTP = "otp";
    public static final String RECOVERY_CODE = "recovery-code";

    private final SecondFactorDirectory directory;
    private final TotpSecrets secrets;
    private final LoginThrottleStore throttles;
    private final LoginThrottleConfig throttleConfig;
    private final AuditTrail audit;
    private final Clock clock;

    @Inject
    public SecondFactors(SecondFactorDirectory directory, TotpSecrets secrets, LoginThrottleStore throttles,
            LoginThrottleConfig throttleConfig, AuditTrail audit) {
        this(directory, secrets, throttles, throttleConfig, audit, Clock.systemUTC());
    }

    SecondFactors(SecondFactorDirectory directory, TotpSecrets secrets, LoginThrottleStore throttles,
            LoginThrottleConfig throttleConfig, AuditTrail audit, Clock clock) {
        this.directory = directory;
        this.secrets = secrets;
        this.throttles = throttles;
        this.throttleConfig = throttleConfig;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Checks what the person typed: a recovery code (redeemed, so used up) or a six-digit TOTP code (its step then
     * accepted once). Fails with a {@code StoreException} when Redis or PostgreSQL does not answer (nothing counted),
     * and with an {@link IllegalStateException} when the stored secret does not decrypt (a missing key).
     */
    public Uni<Verification> verify(String userId, String input, String clientAddress) {
        String method = RecoveryCodes.looksLikeCode(input) ? RECOVERY_CODE : Totp.looksLikeCode(input) ? OTP : "malformed";
        return throttles.reserve(BUDGET, userId, throttleConfig.account().policy()).flatMap(reservation -> {
            if (!reservation.admitted()) {
                return Uni.createFrom().item((Verification) new Verification.Throttled(reservation.delay()));
            }
            return check(userId, input, method)
                    .onFailure().call(() -> throttles.release(reservation))
                    .flatMap(accepted -> accepted
                            ? throttles.release(reservation).replaceWith((Verification) new Verification.Accepted(method))
                            : Uni.createFrom().item((Verification) new Verification.Rejected(reservation.delay())));
        }).invoke(result -> record(result, userId, method, clientAddress));
    }

    private Uni<Boolean> check(String userId, String input, String method) {
        if (method.equals(RECOVERY_CODE)) {
            return directory.redeemRecoveryCode(userId, RecoveryCodes.digest(input).orElseThrow());
        }
        if (!method.equals(OTP)) {
            return Uni.createFrom().item(false);
        }
        return directory.findTotp(userId).flatMap(totp -> {
            if (totp.isEmpty()) {
                return Uni.createFrom().item(false);
            }
            // AES-GCM of 20 bytes and three HMACs: microseconds, fine on the event loop.
            byte[] secret = secrets.decrypt(userId, totp.get().encryptedSecret());
            OptionalLong step = Totp.matchingStep(secret, input, clock.instant());
            java.util.Arrays.fill(secret, (byte) 0);
            return step.isPresent() ? directory.acceptStep(userId, step.getAsLong()) : Uni.createFrom().item(false);
        });
    }

    private void record(Verification result, String userId, String method, String clientAddress) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("method", method);
        details.put("address", clientAddress);
        if (result instanceof Verification.Accepted) {
            audit.emit(new AuditEvent(AuditEventType.SECOND_FACTOR_SUCCEEDED, "user:" + userId, userId, null, details));
            return;
        }
        Duration wait = result instanceof Verification.Throttled t ? t.retryAfter() : ((Verification.Rejected) result).retryAfter();
        if (result instanceof Verification.Throttled) {
            details.put("throttled", true);
        }
        if (!wait.isZero()) {
            details.put("retry_after_seconds", Math.max(1, (wait.toMillis() + 999) / 1000));
        }
        // Nobody is proven yet: the actor stays unknown, the subject is the account attempted.
        audit.emit(new AuditEvent(AuditEventType.SECOND_FACTOR_FAILED, null, userId, null, details));
    }

    public Uni<Boolean> hasTotp(String userId) {
        return directory.findTotp(userId).map(java.util.Optional::isPresent);
    }

    /**
     * Stores a new TOTP authenticator once its first code proves the person's app holds {@code secret}, in place of
     * any earlier one and with new recovery codes; the confirming code's step counts as used.
     *
     * @return the ten recovery codes in clear, to be shown once
     * @throws CodeRejectedException (as the Uni's failure) when the code does not match; nothing is stored
     */
    public Uni<List<String>> enrol(String userId, byte[] secret, String code) {
        OptionalLong step = Totp.matchingStep(secret, code, clock.instant());
        if (step.isEmpty()) {
            return Uni.createFrom().failure(new CodeRejectedException());
        }
        String encrypted = secrets.encrypt(userId, secret);
        List<String> codes = RecoveryCodes.generate();
        return directory.enrolTotp(userId, encrypted, step.getAsLong(), digests(codes))
                .invoke(() -> audit.emit(AuditEvent.of(AuditEventType.TOTP_ENROLLED, "user:" + userId, userId, null)))
                .replaceWith(codes);
    }

    /**
     * Ten new recovery codes in place of the remaining ones.
     *
     * @throws SecondFactorDirectory.NoTotpException (as the Uni's failure) when the user has no TOTP authenticator
     */
    public Uni<List<String>> regenerateRecoveryCodes(String userId) {
        List<String> codes = RecoveryCodes.generate();
        return directory.replaceRecoveryCodes(userId, digests(codes))
                .invoke(() -> audit.emit(AuditEvent.of(AuditEventType.RECOVERY_CODES_REGENERATED, "user:" + userId, userId, null)))
                .replaceWith(codes);
    }

    /**
     * Removes the user's TOTP authenticator and recovery codes.
     *
     * @param actor who removed it, as audit events name actors ({@code user:<sub>}, {@code client:<id>})
     * @return true if there was one
     */
    public Uni<Boolean> remove(String userId, String actor) {
        return directory.removeTotp(userId).invoke(removed -> {
            if (removed) {
                audit.emit(AuditEvent.of(AuditEventType.TOTP_REMOVED, actor, userId, null));
            }
        });
    }

    private static List<byte[]> digests(List<String> codes) {
        return codes.stream().map(code -> RecoveryCodes.digest(code).orElseThrow()).toList();
    }
}
