package io.latchkey.model.directory;

import io.latchkey.model.store.StoreException;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Directory records held in process, so that the token leg and silent renewal read PostgreSQL rarely and
 * keep answering while it is down.
 *
 * <ul>
 * <li>Absent records are cached too, in a map of their own: a repeated unknown id is answered from memory like a
 * known one, and guessing ids fills only that map, never pushing real records out.</li>
 * <li>A committed change drops its entry at once ({@link DirectoryChanges}); {@code refreshAfter} only bounds
 * what a lost notification could leave stale.</li>
 * <li>When PostgreSQL fails, an entry is served however old it is; with no entry the failure stands.</li>
 * <li>A load that began before an invalidation is not stored, so it cannot bring back what a change dropped.</li>
 * <li>Bounded: each map starts over when full, so guessing ids costs memory only up to the bound.</li>
 * </ul>
 */
public final class DirectoryCache<K, V> {

    private record Entry<V>(Optional<V> value, long loadedAtNanos) {
    }

    private final ConcurrentHashMap<K, Entry<V>> present = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<K, Entry<V>> absent = new ConcurrentHashMap<>();
    private final AtomicLong epoch = new AtomicLong();
    private final long refreshAfterNanos;
    private final int maxEntries;

    public DirectoryCache(Duration refreshAfter, int maxEntries) {
        this.refreshAfterNanos = refreshAfter.toNanos();
        this.maxEntries = maxEntries;
    }

    public Uni<Optional<V>> get(K key, Supplier<Uni<Optional<V>>> loader) {
        Entry<V> found = present.get(key);
        Entry<V> cached = found != null ? found : absent.get(key);
        if (cached != null && System.nanoTime() - cached.loadedAtNanos() < refreshAfterNanos) {
            return Uni.createFrom().item(cached.value());
        }
        long startedAt = epoch.get();
        return loader.get()
                .invoke(value -> {
                    if (epoch.get() == startedAt) {
                        ConcurrentHashMap<K, Entry<V>> into = value.isPresent() ? present : absent;
                        ConcurrentHashMap<K, Entry<V>> other = value.isPresent() ? absent : present;
                        other.remove(key);
                        if (into.size() >= maxEntries) {
                            into.clear();
                        }
                        into.put(key, new Entry<>(value, System.nanoTime()));
                    }
                })
                .onFailure(f -> cached != null && f instanceof StoreException e && e.kind() == StoreException.Kind.UNAVAILABLE)
                .recoverWithItem(() -> cached.value());
    }

    public void invalidate(K key) {
        epoch.incrementAndGet();
        present.remove(key);
        absent.remove(key);
    }

    public void invalidateAll() {
        epoch.incrementAndGet();
        present.clear();
        absent.clear();
    }
}
