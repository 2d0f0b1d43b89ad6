package io.latchkey.model.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The lease the signing-key rotation runs under, and the compare-and-set it writes with, as attacks on them. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class RedisLockTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    RedisLock lock;

    @Inject
    SigningKeyStore store;

    private static String key() {
        return RedisKeys.signingKeyRotationLock() + ":test-" + System.nanoTime();
    }

    @Test
    void acquireWhenTwentyReplicasRaceThenExactlyOneHoldsIt() {
        String key = key();
        List<CompletableFuture<Boolean>> racers = IntStream.range(0, 20)
                .mapToObj(i -> lock.acquire(key, Duration.ofSeconds(30)).map(h -> h.isPresent()).subscribeAsCompletionStage())
                .toList();
        assertThat(racers.stream().map(CompletableFuture::join).filter(won -> won)).hasSize(1);
    }

    @Test
    void releaseWhenNotTheHolderThenTheLockStaysWithItsHolder() {
        String key = key();
        RedisLock.Held holder = lock.acquire(key, Duration.ofSeconds(30)).await().atMost(WAIT).orElseThrow();

        // Another replica (or one whose own lease expired) releasing with its token, or with a guessed one.
        assertThat(lock.release(new RedisLock.Held(key, "not-the-holders-token")).await().atMost(WAIT)).isFalse();
        assertThat(TestRedis.get().command("GET", key)).isEqualTo(holder.token());
        assertThat(lock.acquire(key, Duration.ofSeconds(30)).await().atMost(WAIT)).isEmpty();

        assertThat(lock.release(holder).await().atMost(WAIT)).isTrue();
        assertThat(lock.acquire(key, Duration.ofSeconds(30)).await().atMost(WAIT)).isPresent();
    }

    @Test
    void holderDiesThenTheLockExpiresByItselfAndAnotherTakesIt() {
        String key = key();
        RedisLock.Held dead = lock.acquire(key, Duration.ofMillis(300)).await().atMost(WAIT).orElseThrow();
        assertThat(Long.parseLong(TestRedis.get().command("PTTL", key))).isBetween(1L, 300L);
        assertThat(lock.acquire(key, Duration.ofSeconds(30)).await().atMost(WAIT)).isEmpty();

        TestRedis.get().awaitGone(key, WAIT);
        RedisLock.Held next = lock.acquire(key, Duration.ofSeconds(30)).await().atMost(WAIT).orElseThrow();
        // The dead holder coming back late cannot release its successor's lease.
        assertThat(lock.release(dead).await().atMost(WAIT)).isFalse();
        assertThat(TestRedis.get().command("GET", key)).isEqualTo(next.token());
    }

    @Test
    void replaceWhenTheSetChangedSinceItWasReadThenNothingIsWritten() {
        TestRedis.get().command("DEL", RedisKeys.signingKeys());
        assertThat(store.putIfAbsent("{\"keys\":[\"first\"]}").await().atMost(WAIT)).isTrue();
        assertThat(store.putIfAbsent("{\"keys\":[\"second\"]}").await().atMost(WAIT)).isFalse();
        String read = store.get().await().atMost(WAIT);

        // Another replica's step lands first; a stalled one, still working from what it read before, loses.
        assertThat(store.replace(read, "{\"keys\":[\"theirs\"]}").await().atMost(WAIT)).isTrue();
        assertThat(store.replace(read, "{\"keys\":[\"stale\"]}").await().atMost(WAIT)).isFalse();
        assertThat(store.get().await().atMost(WAIT)).isEqualTo("{\"keys\":[\"theirs\"]}");
        TestRedis.get().command("DEL", RedisKeys.signingKeys());
    }
}
