package io.latchkey.model.password;

import io.latchkey.model.oauth.OAuthError;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;

/**
 * The threads that check and hash passwords and client secrets: a fixed few with a bounded queue, not
 * the shared worker pool.
 *
 * <p>One Argon2id call holds 19 MiB and tens of milliseconds of CPU. On the shared pool, 32 logins at once
 * took 600 MiB and ended a 256 MiB authorize-service with OutOfMemoryError, and 32 first client_credentials
 * requests did the same to token-service, yet neither finished sooner than one hash per core would. Past
 * the queue a request is answered temporarily_unavailable, so a flood of logins or secrets slows those
 * down and nothing else.
 */
@ApplicationScoped
public class PasswordWorkers {

    @ConfigMapping(prefix = "latchkey.password-workers")
    public interface Config {
        /** Threads hashing at once; 0 means one per processor, since the work is CPU-bound. */
        @WithDefault("0")
        int threads();

        /** Logins waiting for a thread; beyond them a login is refused for now. */
        @WithDefault("256")
        int queue();
    }

    private final ThreadPoolExecutor pool;

    @Inject
    public PasswordWorkers(Config config) {
        this(config.threads() > 0 ? config.threads() : Runtime.getRuntime().availableProcessors(), config.queue());
    }

    /** For tests and tools outside CDI. */
    public PasswordWorkers(int threads, int queue) {
        AtomicInteger count = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(Math.max(1, queue)), work -> {
            Thread t = new PasswordThread(work, "latchkey-password-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code work} on a password thread, or fails with temporarily_unavailable when all are taken. */
    public <T> Uni<T> run(Supplier<T> work) {
        return Uni.createFrom().emitter(emitter -> {
            try {
                pool.execute(() -> {
                    try {
                        emitter.complete(work.get());
                    } catch (RuntimeException e) {
                        emitter.fail(e);
                    }
                });
            } catch (RejectedExecutionException full) {
                emitter.fail(OAuthError.TEMPORARILY_UNAVAILABLE.withDescription(
                        "Too many sign-ins at this moment. Please try again in a few seconds."));
            }
        });
    }

    @PreDestroy
    public void stop() {
        pool.shutdownNow();
    }

    /**
     * A password thread keeps the memory of one Argon2id call (PasswordHasher's parameters, and the three
     * working blocks) for the next: a few threads then hold a fixed 19 MiB each rather than every login
     * allocating it anew. Argon2BytesGenerator clears each block before it returns it to the pool.
     */
    static final class PasswordThread extends Thread {

        private final Argon2BytesGenerator.BlockPool argon2Blocks = new Argon2BytesGenerator.FixedBlockPool(
                Argon2BytesGenerator.getBlockCount(PasswordHasher.MEMORY_KIB, PasswordHasher.PARALLELISM) + 3);

        PasswordThread(Runnable work, String name) {
            super(work, name);
        }

        Argon2BytesGenerator.BlockPool argon2Blocks() {
            return argon2Blocks;
        }
    }
}
