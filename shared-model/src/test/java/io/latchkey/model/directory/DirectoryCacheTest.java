package io.latchkey.model.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.model.store.StoreException;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DirectoryCacheTest {

    private static final Uni<Optional<String>> DOWN =
            Uni.createFrom().failure(StoreException.directoryUnavailable(new RuntimeException("connection refused")));

    @Test
    void getWhenFreshThenTheLoaderIsNotCalled() {
        DirectoryCache<String, String> cache = new DirectoryCache<>(Duration.ofMinutes(5), 10);
        AtomicInteger loads = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            assertThat(cache.get("k", () -> Uni.createFrom().item(Optional.of("v" + loads.incrementAndGet()))).await().indefinitely())
                    .contains("v1");
        }
        assertThat(loads).hasValue(1);
    }

    @Test
    void getWhenUnknownThenTheAbsenceIsCachedToo() {
        DirectoryCache<String, String> cache = new DirectoryCache<>(Duration.ofMinutes(5), 10);
        AtomicInteger loads = new AtomicInteger();
        cache.get("k", () -> Uni.createFrom().item(() -> { loads.incrementAndGet(); return Optional.<String>empty(); })).await().indefinitely();
        assertThat(cache.get("k", () -> DOWN).await().indefinitely()).isEmpty();
        assertThat(loads).hasValue(1);
    }

    @Test
    void getWhenStaleAndPostgresIsDownThenTheOldValueIsServed() {
        DirectoryCache<String, String> cache = new DirectoryCache<>(Duration.ZERO, 10);
        cache.get("k", () -> Uni.createFrom().item(Optional.of("old"))).await().indefinitely();
        assertThat(cache.get("k", () -> DOWN).await().indefinitely()).contains("old");
    }

    @Test
    void getWhenNothingCachedAndPostgresIsDownThenUnavailable() {
        DirectoryCache<String, String> cache = new DirectoryCache<>(Duration.ofMinutes(5), 10);
        assertThatThrownBy(() -> cache.get("k", () -> DOWN).await().indefinitely()).isInstanceOf(StoreException.class);
    }

    @Test
    void getWhenTheLoadBeganBeforeAnInvalidationThenItsResultIsNotKept() {
        DirectoryCache<String, String> cache = new DirectoryCache<>(Duration.ofMinutes(5), 10);
        // The change lands while the old row is on its way back.
        cache.get("k", () -> Uni.createFrom().item(() -> {
            cache.invalidate("k");
            return Optional.of("old");
        })).await().indefinitely();
        assertThat(cache.get("k", () -> Uni.createFrom().item(Optional.of("new"))).await().indefinitely()).contains("new");
    }

    @Test
    void getWhenFullThenItStartsOverInsteadOfGrowing() {
        DirectoryCache<Integer, String> cache = new DirectoryCache<>(Duration.ofMinutes(5), 100);
        for (int i = 0; i < 1_000; i++) {
            cache.get(i, () -> Uni.createFrom().item(Optional.<String>empty())).await().indefinitely();
        }
        AtomicInteger loads = new AtomicInteger();
        cache.get(0, () -> Uni.createFrom().item(() -> { loads.incrementAndGet(); return Optional.<String>empty(); })).await().indefinitely();
        assertThat(loads).as("an early entry was dropped when the cache filled up").hasValue(1);
    }

    @Test
    void getWhenManyUnknownIdsAreGuessedThenKnownRecordsStayInMemory() {
        DirectoryCache<String, String> cache = new DirectoryCache<>(Duration.ofMinutes(5), 100);
        cache.get("spa", () -> Uni.createFrom().item(Optional.of("registered"))).await().indefinitely();
        for (int i = 0; i < 1_000; i++) {
            cache.get("guess-" + i, () -> Uni.createFrom().item(Optional.<String>empty())).await().indefinitely();
        }
        // Were "spa" pushed out, this would ask the store, which is down.
        assertThat(cache.get("spa", () -> DOWN).await().indefinitely()).contains("registered");
    }
}
