package io.latchkey.bench.load;

import io.latchkey.bench.server.ServerMeter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs virtual users against a server for a bounded time. Each user runs one operation at a time, so at
 * most {@code concurrency} are in flight.
 *
 * <p>Without a rate the users go as fast as the server answers (closed loop) and latency is the service
 * time. With a rate, each user follows a fixed schedule and latency counts from the moment an operation
 * was due, not from when it was sent: a server that stalls is charged for the requests it held back,
 * which is how HdrHistogram and wrk2 correct for coordinated omission.
 */
public final class LoadRun {

    /** @param ratePerSecond operations per second for all users together; 0 for as fast as possible */
    public record Settings(int concurrency, Duration duration, double ratePerSecond) {

        public Settings {
            if (concurrency < 1 || concurrency > 4096) {
                throw new IllegalArgumentException("concurrency must be 1..4096");
            }
            if (duration.isNegative() || duration.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("duration must be at most an hour");
            }
        }

        public Settings withDuration(Duration d) {
            return new Settings(concurrency, d, ratePerSecond);
        }

        public Settings withRate(double rate) {
            return new Settings(concurrency, duration, rate);
        }
    }

    /** A user's next operation, or null when it has no more work (its share of prepared codes is used). */
    @FunctionalInterface
    public interface Operation {
        Future<?> next(int user);
    }

    private LoadRun() {
    }

    /** Runs one phase and adds what it measured, including the servers' CPU over it, to {@code into}. */
    public static void phase(Vertx vertx, Settings settings, Operation operation, ServerMeter meter, Measurement into) {
        ServerMeter.Sample before = meter.sample();
        long start = System.nanoTime();
        long deadline = start + settings.duration().toNanos();
        long interval = settings.ratePerSecond() > 0
                ? (long) (TimeUnit.SECONDS.toNanos(1) * settings.concurrency() / settings.ratePerSecond()) : 0;
        AtomicInteger running = new AtomicInteger(settings.concurrency());
        CompletableFuture<Long> done = new CompletableFuture<>();
        for (int user = 0; user < settings.concurrency(); user++) {
            int u = user;
            // Users start spread over one interval, so a scheduled run does not begin with a burst.
            long firstDue = start + (interval == 0 ? 0 : interval * u / settings.concurrency());
            vertx.runOnContext(v -> new User(vertx, u, operation, into, deadline, interval, running, done).run(firstDue));
        }
        long end = done.join();
        into.addPhase(end - start, before, meter.sample());
    }

    private static final class User {
        private final Vertx vertx;
        private final int id;
        private final Operation operation;
        private final Measurement into;
        private final long deadline;
        private final long interval;
        private final AtomicInteger running;
        private final CompletableFuture<Long> done;

        User(Vertx vertx, int id, Operation operation, Measurement into, long deadline, long interval,
                AtomicInteger running, CompletableFuture<Long> done) {
            this.vertx = vertx;
            this.id = id;
            this.operation = operation;
            this.into = into;
            this.deadline = deadline;
            this.interval = interval;
            this.running = running;
            this.done = done;
        }

        void run(long due) {
            long now = System.nanoTime();
            if (now >= deadline) {
                finish();
                return;
            }
            if (interval > 0 && due > now) {
                vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(due - now)), t -> run(due));
                return;
            }
            Future<?> next;
            try {
                next = operation.next(id);
            } catch (RuntimeException e) {
                next = Future.failedFuture(e);
            }
            if (next == null) {
                finish();
                return;
            }
            long countedFrom = interval > 0 ? due : now;
            next.onComplete(result -> {
                if (result.succeeded()) {
                    into.success(System.nanoTime() - countedFrom);
                } else {
                    into.error(Failure.kindOf(result.cause()));
                }
                run(interval > 0 ? due + interval : 0);
            });
        }

        private void finish() {
            if (running.decrementAndGet() == 0) {
                done.complete(System.nanoTime());
            }
        }
    }
}
