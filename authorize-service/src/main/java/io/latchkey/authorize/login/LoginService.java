package io.latchkey.authorize.login;

import io.latchkey.model.domain.User;
import io.latchkey.model.domain.Usernames;
import io.latchkey.model.password.PasswordHasher;
import io.latchkey.model.password.PasswordWorkers;
import io.latchkey.model.store.LoginThrottleStore;
import io.latchkey.model.directory.UserDirectory;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Checks a username and password. Unknown user, wrong password and disabled user give one answer and
 * cost one password hash each, so neither the message nor the timing tells which it was
 * (docs/architecture.md, "Security defaults").
 *
 * <p>Attempts are throttled on budgets ({@link LoginThrottleStore}): a browser that presents a trusted-device
 * cookie for the account ({@link TrustedDevices}) on that device's own budget only; any other attempt per
 * account and per client address. An attacker elsewhere therefore slows guessing at the account to a crawl
 * without locking its owner out of the browsers they signed in with before. Each attempt is counted before
 * its password is checked, so parallel guesses get no more checks than sequential ones.
 *
 * <p>Hashing takes tens of milliseconds of CPU and 19 MiB, so it runs on the bounded {@link PasswordWorkers},
 * never on the event loop.
 */
@ApplicationScoped
public class LoginService {

    private static final Logger LOG = Logger.getLogger(LoginService.class);
    static final String ACCOUNT = "account";
    static final String ADDRESS = "address";
    static final String DEVICE = "device";

    /** The answer to one login attempt. */
    public sealed interface Result {
        /** {@code deviceCookie}: the new trusted-device secret for this browser. */
        record Success(User user, String deviceCookie) implements Result {
            @Override
            public String toString() {
                return "Success[user=" + user.id() + "]";
            }
        }

        /** Wrong credentials; {@code retryAfter} is non-zero when this failure started a wait. */
        record Failure(Duration retryAfter) implements Result {
        }

        /** Not checked at all: a budget this attempt draws on ({@code budget}: account, address or device) must wait. */
        record Throttled(Duration retryAfter, String budget) implements Result {
        }
    }

    private final UserDirectory users;
    private final PasswordHasher hasher;
    private final LoginThrottleStore throttles;
    private final TrustedDevices devices;
    private final LoginThrottleConfig config;
    private final LoginMetrics metrics;
    private final PasswordWorkers workers;
    private final LoginAudit audit;

    public LoginService(UserDirectory users, PasswordHasher hasher, LoginThrottleStore throttles, TrustedDevices devices,
            LoginThrottleConfig config, LoginMetrics metrics, PasswordWorkers workers, LoginAudit audit) {
        this.workers = workers;
        this.audit = audit;
        this.users = users;
        this.hasher = hasher;
        this.throttles = throttles;
        this.devices = devices;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * Look-alike spellings (ＡＬＩＣＥ, Alice) are one account with one throttle budget (RFC 8265).
     *
     * @param deviceCookie the value of this browser's trusted-device cookie, or null
     * @param clientId     the client the person signs in to, for the audit trail
     */
    public Uni<Result> login(String username, char[] password, String clientAddress, String deviceCookie, String clientId) {
        String account = username == null ? "" : Usernames.comparable(username.strip());
        if (account.isEmpty() || account.length() > 255 || password == null || password.length == 0 || password.length > 1024) {
            return Uni.createFrom().item((Result) new Result.Failure(Duration.ZERO)).invoke(metrics::record)
                    .invoke(result -> audit.record(result, account.length() > 255 ? "" : account, clientId, clientAddress));
        }
        return devices.recognise(deviceCookie, account)
                .flatMap(device -> reserve(account, clientAddress, device).flatMap(reservations -> {
                    Optional<LoginThrottleStore.Reservation> refused = reservations.stream().filter(r -> !r.admitted())
                            .max(java.util.Comparator.comparing(LoginThrottleStore.Reservation::delay));
                    if (refused.isPresent()) {
                        // A refused attempt counts nothing: give back what the other budget admitted.
                        return releaseAll(reservations).replaceWith(
                                (Result) new Result.Throttled(refused.get().delay(), refused.get().kind()));
                    }
                    return users.findByUsername(account)
                            .flatMap(user -> verifyOnWorker(user, password))
                            .flatMap(user -> user.isPresent()
                                    ? succeeded(account, user.get(), password, device, reservations, deviceCookie)
                                    : Uni.createFrom().item((Result) new Result.Failure(reservations.stream()
                                            .map(LoginThrottleStore.Reservation::delay).max(Duration::compareTo)
                                            .orElse(Duration.ZERO))))
                            // Not checked after all (no password thread free, Redis gone): not a failure either.
                            .onFailure().call(() -> releaseAll(reservations));
                }))
                .invoke(metrics::record)
                .invoke(result -> audit.record(result, account, clientId, clientAddress))
                .eventually(() -> Arrays.fill(password, '\0'));
    }

    /** The budgets this attempt draws on, each counted before the password is checked. */
    private Uni<List<LoginThrottleStore.Reservation>> reserve(String account, String clientAddress, Optional<String> device) {
        if (device.isPresent()) {
            return throttles.reserve(DEVICE, device.get(), config.device().policy()).map(List::of);
        }
        return Uni.combine().all()
                .unis(throttles.reserve(ACCOUNT, account, config.account().policy()),
                        throttles.reserve(ADDRESS, clientAddress, config.address().policy()))
                .with((byAccount, byAddress) -> List.of(byAccount, byAddress));
    }

    private Uni<Void> releaseAll(List<LoginThrottleStore.Reservation> reservations) {
        if (reservations.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(reservations.stream().map(throttles::release).toList()).andFailFast().replaceWithVoid();
    }

    /** How long the trusted-device cookie lives. */
    public Duration deviceLifetime() {
        return config.deviceLifetime();
    }

    private Uni<Optional<User>> verifyOnWorker(Optional<User> user, char[] password) {
        return workers.run(() -> {
            if (user.isEmpty()) {
                return hasher.verifyAgainstNobody(password) ? user : Optional.<User>empty();
            }
            // A disabled user's password is still checked, so that disabling an account is not visible in timing.
            boolean matches = hasher.verify(password, user.get().passwordHash());
            return matches && user.get().enabled() ? user : Optional.<User>empty();
        });
    }

    /**
     * The account's or the device's failures are forgotten; the address keeps its earlier failures but not this
     * attempt's count. The browser is trusted for the account from now on, with a fresh cookie.
     */
    private Uni<Result> succeeded(String account, User user, char[] password, Optional<String> device,
            List<LoginThrottleStore.Reservation> reservations, String previousDeviceCookie) {
        Uni<Void> rehash = hasher.needsRehash(user.passwordHash())
                ? workers.run(() -> hasher.hash(password))
                        .flatMap(newHash -> users.replacePasswordHash(user.id(), user.passwordHash(), newHash))
                        .onFailure().invoke(f -> LOG.warnf("Could not upgrade the password hash of user %s: %s", user.id(), f.toString()))
                        .onFailure().recoverWithNull().replaceWithVoid()
                : Uni.createFrom().voidItem();
        Uni<Void> budgets = device.isPresent()
                ? throttles.reset(DEVICE, device.get())
                : throttles.reset(ACCOUNT, account).flatMap(x -> releaseAll(reservations.stream()
                        .filter(r -> r.kind().equals(ADDRESS)).toList()));
        return rehash.flatMap(x -> budgets)
                .flatMap(x -> devices.trust(account, previousDeviceCookie))
                .map(cookie -> (Result) new Result.Success(user, cookie));
    }
}
