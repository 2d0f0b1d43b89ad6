package io.latchkey.model.password;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A flood of logins must not hash more passwords at once than there are password threads (each Argon2id
 * call holds 19 MiB), and what does not fit in the queue is refused as temporarily_unavailable.
 */
class PasswordWorkersTest {

    private final PasswordHasher hasher = new PasswordHasher();
    private final String stored = hasher.hash("correct horse".toCharArray());

    @Test
    void hashesNoMoreThanItsThreadsAtOnceAndRefusesPastItsQueue() {
        PasswordWorkers workers = new PasswordWorkers(2, 6);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        List<CompletableFuture<Boolean>> logins = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            logins.add(workers.run(() -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    return hasher.verify("correct horse".toCharArray(), stored);
                } finally {
                    running.decrementAndGet();
                }
            }).subscribeAsCompletionStage());
        }

        int verified = 0;
        int refused = 0;
        for (CompletableFuture<Boolean> login : logins) {
            try {
                assertThat(login.get(Duration.ofSeconds(60).toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                verified++;
            } catch (Exception e) {
                assertThat(e.getCause()).isInstanceOf(OAuthException.class);
                assertThat(((OAuthException) e.getCause()).error()).isEqualTo(OAuthError.TEMPORARILY_UNAVAILABLE);
                refused++;
            }
        }
        assertThat(mostAtOnce.get()).isEqualTo(2);
        // Two running and six queued when the burst arrived: at least those eight are served, the rest refused.
        assertThat(verified).isGreaterThanOrEqualTo(8);
        assertThat(refused).isEqualTo(20 - verified).isPositive();
        workers.stop();
    }
}
