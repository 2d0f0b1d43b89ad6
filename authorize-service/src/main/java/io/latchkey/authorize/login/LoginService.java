package io.latchkey.authorize.login;

import io.latchkey.model.domain.User;
import io.latchkey.model.domain.Usernames;
import io.latchkey.model.password.PasswordHasher;
import io.latchkey.model.password.PasswordWorkers;
import io.latchkey.model.store.LoginThrottleStore;
import io.latchkey.model.store.UserStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Checks a username and password. Unknown user, wrong password and disabled user give one answer and
 * cost one password hash each, so neither the message nor the timing tells which it was (DESIGN.md,
 * "Security defaults"). Failures are throttled per account and per client address.
 *
 * <p>Hashing takes tens of milliseconds of CPU and 19 MiB, so it runs on the bounded {@link PasswordWorkers},
 * never on the event loop.
 */
@ApplicationScoped
public class LoginService {

    private static final Logger LOG = Logger.getLogger(LoginService.class);
    static final String ACCOUNT = "account";
    static final String ADDRESS = "address";

    /** The answer to one login attempt. */
    public sealed interface Result {
        record Success(User user) implements Result {
        }

        /** Wrong credentials; {@code retryAfter} is non-zero when this failure started a wait. */
        record Failure(Duration retryAfter) implements Result {
        }

        /** Not checked at all: the account or the address must wait. */
        record Throttled(Duration retryAfter) implements Result {
        }
    }

    private final UserStore users;
    private final PasswordHasher hasher;
    private final LoginThrottleStore throttles;
    private final LoginThrottleConfig config;
    private final LoginMetrics metrics;
    private final PasswordWorkers workers;

    public LoginService(UserStore users, PasswordHasher hasher, LoginThrottleStore throttles, LoginThrottleConfig config,
            LoginMetrics metrics, PasswordWorkers workers) {
        this.workers = workers;
        this.users = users;
        this.hasher = hasher;
        this.throttles = throttles;
        this.config = config;
        this.metrics = metrics;
    }

    public Uni<Result> login(String username, char[] password, String clientAddress) {
        // RFC 8265: look-alike spellings (ＡＬＩＣＥ, Alice) are one account, with one throttle budget.
        String account = username == null ? "" : Usernames.comparable(username.strip());
        if (account.isEmpty() || account.length() > 255 || password == null || password.length == 0 || password.length > 1024) {
            return Uni.createFrom().item((Result) new Result.Failure(Duration.ZERO)).invoke(metrics::record);
        }
        return Uni.combine().all().unis(throttles.waitTime(ACCOUNT, account), throttles.waitTime(ADDRESS, clientAddress))
                .with((a, b) -> longer(a, b))
                .flatMap(wait -> {
                    if (!wait.isZero()) {
                        return Uni.createFrom().item((Result) new Result.Throttled(wait));
                    }
                    return users.findByUsername(account)
                            .flatMap(user -> verifyOnWorker(user, password))
                            .flatMap(user -> user.isPresent()
                                    ? succeeded(account, user.get(), password)
                                    : failed(account, clientAddress));
                })
                .invoke(metrics::record)
                .eventually(() -> Arrays.fill(password, '\0'));
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

    private Uni<Result> succeeded(String account, User user, char[] password) {
        Uni<Void> rehash = hasher.needsRehash(user.passwordHash())
                ? workers.run(() -> user.withPasswordHash(hasher.hash(password)))
                        .flatMap(users::save)
                        .onFailure().invoke(f -> LOG.warnf("Could not upgrade the password hash of user %s: %s", user.id(), f.toString()))
                        .onFailure().recoverWithNull().replaceWithVoid()
                : Uni.createFrom().voidItem();
        return rehash.flatMap(x -> throttles.reset(ACCOUNT, account)).replaceWith(new Result.Success(user));
    }

    private Uni<Result> failed(String account, String clientAddress) {
        return Uni.combine().all()
                .unis(throttles.recordFailure(ACCOUNT, account, config.account().policy()),
                        throttles.recordFailure(ADDRESS, clientAddress, config.address().policy()))
                .with((a, b) -> (Result) new Result.Failure(longer(a, b)));
    }

    private static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
