package io.latchkey.admin.loginoptions;

import io.latchkey.admin.sessions.UserGrants;
import io.latchkey.model.audit.AuditEvent;
import io.latchkey.model.audit.AuditEventType;
import io.latchkey.model.audit.AuditTrail;
import io.latchkey.model.directory.DirectoryCalls;
import io.latchkey.model.directory.PasskeyDirectory;
import io.latchkey.model.directory.SecondFactorDirectory;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A user's login options beyond the password as an administrator sees and resets them. Each change and its audit
 * row commit in one transaction, so the trail never misses a removal nor records one that was rolled back.
 *
 * <p>A reset leaves the user's sessions alone: it is for a user who lost a device and signs in again with the
 * password (and enrols anew), not for an account taken over; ending sessions is DELETE /admin/users/{id}/sessions.
 */
@ApplicationScoped
public class UserLoginOptions {

    private final UserGrants grants;
    private final SecondFactorDirectory secondFactors;
    private final PasskeyDirectory passkeys;
    private final AuditTrail audit;
    private final Pool pool;
    private final DirectoryCalls calls;

    public UserLoginOptions(UserGrants grants, SecondFactorDirectory secondFactors, PasskeyDirectory passkeys,
            AuditTrail audit, Pool pool, DirectoryCalls calls) {
        this.grants = grants;
        this.secondFactors = secondFactors;
        this.passkeys = passkeys;
        this.audit = audit;
        this.pool = pool;
        this.calls = calls;
    }

    /** The user's login options; 404 for an unknown user. */
    public Uni<LoginOptionsReport> report(String userId) {
        return grants.requireUser(userId).flatMap(x -> Uni.combine().all()
                .unis(secondFactors.findTotp(userId), secondFactors.recoveryCodesLeft(userId), passkeys.list(userId))
                .with((totp, codes, keys) -> new LoginOptionsReport(userId, totp(totp, codes),
                        keys.stream().map(UserLoginOptions::view).toList())));
    }

    /**
     * Removes the TOTP authenticator, its recovery codes and every passkey of the user with one audit row that
     * counts them; 404 for an unknown user. Recorded even when there was nothing to remove: the request was made.
     */
    public Uni<Void> reset(String userId, String actor) {
        return grants.requireUser(userId)
                .flatMap(x -> calls.guard(pool.withTransaction(tx -> secondFactors.removeTotp(tx, userId)
                        .flatMap(totp -> passkeys.removeAll(tx, userId).map(keys -> new AuditEvent(
                                AuditEventType.LOGIN_OPTIONS_RESET, actor, userId, null,
                                Map.of("totp", totp.totp(), "recoveryCodes", totp.recoveryCodes(), "passkeys", keys))))
                        .call(event -> audit.record(tx, event)))))
                .invoke(audit::log)
                .replaceWithVoid();
    }

    /**
     * Removes one passkey of the user; 404 when the user has no passkey of that id, whoever else may have one, so
     * that a path naming user A cannot reach user B's passkey.
     */
    public Uni<Void> removePasskey(String userId, long passkeyId, String actor) {
        AuditEvent event = new AuditEvent(AuditEventType.PASSKEY_REMOVED, actor, userId, null, Map.of("passkey", passkeyId));
        return calls.guard(pool.withTransaction(tx -> passkeys.remove(tx, userId, passkeyId)
                        .call(removed -> removed ? audit.record(tx, event) : Uni.createFrom().voidItem())))
                .invoke(removed -> {
                    if (!removed) {
                        throw new NotFoundException("The user has no passkey with the id " + passkeyId + ".");
                    }
                    audit.log(event);
                })
                .replaceWithVoid();
    }

    private static LoginOptionsReport.Totp totp(Optional<SecondFactorDirectory.TotpCredential> totp, int codes) {
        return new LoginOptionsReport.Totp(totp.isPresent(), codes,
                totp.map(t -> t.createdAt().toString()).orElse(null));
    }

    private static LoginOptionsReport.Passkey view(PasskeyDirectory.Passkey p) {
        return new LoginOptionsReport.Passkey(p.id(), p.name(), p.createdAt().toString(), text(p.lastUsedAt()), p.backupEligible());
    }

    private static String text(Instant time) {
        return time == null ? null : time.toString();
    }
}
