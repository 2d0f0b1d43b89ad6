package io.latchkey.model.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.domain.ClientType;
import io.latchkey.model.password.PasswordHasher;
import io.latchkey.model.password.PasswordWorkers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A burst of client_credentials requests on a cold service: 32 at once with the right secret took 32
 * Argon2id hashes of 19 MiB each and ended a 256 MiB token-service. One secret must cost one hash, and
 * different secrets no more hashes at once than there are password threads.
 */
class SecretVerifierTest {

    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();

    private final PasswordHasher hasher = new PasswordHasher() {
        @Override
        public boolean verify(char[] password, String storedHash) {
            calls.incrementAndGet();
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                return super.verify(password, storedHash);
            } finally {
                running.decrementAndGet();
            }
        }
    };
    private final ClientRegistration backend = new ClientRegistration("backend", null, ClientType.CONFIDENTIAL,
            hasher.hash("the secret".toCharArray()), null, null, null, null, null, false, null, null, null, null, false);

    @Test
    void aBurstWithOneSecretCostsOneHash() throws Exception {
        PasswordWorkers workers = new PasswordWorkers(2, 256);
        SecretVerifier verifier = new SecretVerifier(hasher, workers, 16);

        List<CompletableFuture<Boolean>> checks = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            checks.add(verifier.verify(backend, "the secret").subscribeAsCompletionStage());
        }
        for (CompletableFuture<Boolean> check : checks) {
            assertThat(check.get(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(calls).hasValue(1);
        assertThat(verifier.verify(backend, "the secret").await().indefinitely()).isTrue();
        assertThat(calls).as("remembered after success").hasValue(1);
        workers.stop();
    }

    @Test
    void wrongSecretsAreEachCheckedButNoMoreAtOnceThanThePasswordThreads() throws Exception {
        PasswordWorkers workers = new PasswordWorkers(2, 256);
        SecretVerifier verifier = new SecretVerifier(hasher, workers, 16);

        List<CompletableFuture<Boolean>> checks = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            checks.add(verifier.verify(backend, "guess " + i).subscribeAsCompletionStage());
        }
        for (CompletableFuture<Boolean> check : checks) {
            assertThat(check.get(60, TimeUnit.SECONDS)).isFalse();
        }
        assertThat(calls).hasValue(12);
        assertThat(mostAtOnce.get()).isLessThanOrEqualTo(2);
        assertThat(verifier.verify(backend, "guess 0").await().indefinitely()).as("failures are not remembered").isFalse();
        assertThat(calls).hasValue(13);
        workers.stop();
    }

    @Test
    void secretsForUnknownIdsCostAHashEachLikeWrongSecretsAndABurstOfOneCostsOne() throws Exception {
        PasswordWorkers workers = new PasswordWorkers(2, 256);
        SecretVerifier verifier = new SecretVerifier(hasher, workers, 16);

        List<CompletableFuture<Boolean>> checks = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            checks.add(verifier.verifyWithoutClient("made-up", "one guess").subscribeAsCompletionStage());
        }
        for (int i = 0; i < 8; i++) {
            checks.add(verifier.verifyWithoutClient("made-up-" + i, "guess " + i).subscribeAsCompletionStage());
        }
        for (CompletableFuture<Boolean> check : checks) {
            assertThat(check.get(60, TimeUnit.SECONDS)).isFalse();
        }
        assertThat(calls).as("one hash for the burst of one id and secret, one for each other").hasValue(9);
        assertThat(mostAtOnce.get()).isLessThanOrEqualTo(2);
        workers.stop();
    }
}
