package io.latchkey.bench.scenario;

import io.latchkey.bench.load.Failure;
import io.latchkey.bench.load.LoadRun;
import io.latchkey.bench.load.Measurement;
import io.latchkey.bench.oidc.Browser;
import io.latchkey.bench.server.ServerMeter;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The directory's store goes away under load: the token leg (code exchange, refresh rotation and
 * client_credentials, in turn on each virtual user) and a few people signing in run together; PostgreSQL is
 * stopped as a crash would stop it, stays down for a while, and is started again. Every operation is
 * counted in the window it was sent in (before, while PostgreSQL is down, after it accepts connections
 * again), by grant and outcome. The token leg should not notice; a login, which needs the password hash
 * from PostgreSQL, should be told to come back later (503 with Retry-After).
 *
 * <p>The codes are minted through the real authorization endpoint before the run (not timed). A user who
 * runs out of them refreshes instead; the counts by grant show it. A person whose login fails tries again
 * after half a second, as at an error page.
 */
public final class DirectoryOutage {

    /** The store to take away and bring back. */
    public interface Store {
        void stop();

        void start();
    }

    public static final String[] WINDOWS = {"before", "down", "after"};

    /**
     * What one window saw.
     *
     * @param tokenOperations successful token-leg operations by grant
     * @param tokenErrors     failed token-leg operations by kind
     * @param logins          login attempts by outcome ({@code signed in}, or the failure's kind)
     */
    public record Window(String name, double seconds, Map<String, Long> tokenOperations, Map<String, Long> tokenErrors,
            double tokenP99Millis, double tokenMaxMillis, Map<String, Long> logins) {

        public long tokenOperationCount() {
            return tokenOperations.values().stream().mapToLong(Long::longValue).sum();
        }

        public long tokenErrorCount() {
            return tokenErrors.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * @param downSeconds   from the stop until PostgreSQL accepted connections again
     * @param stoppedFor    how long it was kept stopped before the start command
     * @param prepareErrors errors while signing in and minting codes, before the store went away
     */
    public record Result(int tokenUsers, int loginUsers, double downSeconds, double stoppedFor, List<Window> windows,
            Map<String, Long> prepareErrors) {

        public long tokenErrorCount() {
            return windows.stream().mapToLong(Window::tokenErrorCount).sum();
        }
    }

    private static final int MAX_CODES = 40_000;
    private static final Duration MINT_TIME = Duration.ofSeconds(12);
    private static final long LOGIN_RETRY_MILLIS = 500;

    private final Duration before;
    private final Duration down;
    private final Duration after;

    public DirectoryOutage(Duration before, Duration down, Duration after) {
        this.before = before;
        this.down = down;
        this.after = after;
    }

    private final class Tally {
        private final long[] bounds = {Long.MAX_VALUE, Long.MAX_VALUE};
        private final List<Map<String, Long>> operations = new ArrayList<>();
        private final List<Map<String, Long>> errors = new ArrayList<>();
        private final List<Map<String, Long>> logins = new ArrayList<>();
        private final List<Histogram> latencies = new ArrayList<>();

        Tally() {
            for (int i = 0; i < WINDOWS.length; i++) {
                operations.add(new TreeMap<>());
                errors.add(new TreeMap<>());
                logins.add(new TreeMap<>());
                latencies.add(new Histogram(TimeUnit.SECONDS.toMicros(60), 3));
            }
        }

        synchronized int window(long sentAt) {
            return sentAt < bounds[0] ? 0 : sentAt < bounds[1] ? 1 : 2;
        }

        synchronized void stopped(long at) {
            bounds[0] = at;
        }

        synchronized void up(long at) {
            bounds[1] = at;
        }

        synchronized void token(long sentAt, String grant, AsyncResult<?> result) {
            int w = window(sentAt);
            if (result.succeeded()) {
                operations.get(w).merge(grant, 1L, Long::sum);
                Histogram h = latencies.get(w);
                h.recordValue(Math.min(h.getHighestTrackableValue(), Math.max(1, (System.nanoTime() - sentAt) / 1000)));
            } else {
                errors.get(w).merge(grant + ": " + Failure.kindOf(result.cause()), 1L, Long::sum);
            }
        }

        synchronized void login(long sentAt, AsyncResult<?> result) {
            logins.get(window(sentAt)).merge(result.succeeded() ? "signed in" : Failure.kindOf(result.cause()), 1L, Long::sum);
        }

        synchronized List<Window> windows(long start, long end) {
            List<Window> windows = new ArrayList<>();
            long[] edges = {start, Math.min(bounds[0], end), Math.min(bounds[1], end), end};
            for (int i = 0; i < WINDOWS.length; i++) {
                Histogram h = latencies.get(i);
                windows.add(new Window(WINDOWS[i], Math.max(0, edges[i + 1] - edges[i]) / 1e9, Map.copyOf(operations.get(i)),
                        Map.copyOf(errors.get(i)), h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(99) / 1000.0,
                        h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1000.0, Map.copyOf(logins.get(i))));
            }
            return windows;
        }
    }

    public Result run(ScenarioContext context, Store store) {
        int concurrency = context.settings().concurrency();
        int loginUsers = Math.max(1, concurrency / 8);
        int tokenUsers = Math.max(1, concurrency - loginUsers);
        String clientId = context.target().spaClient();
        String redirectUri = context.target().redirectUri();
        Measurement preparing = new Measurement();
        ScenarioContext tokenContext = new ScenarioContext(context.http(), context.provider(), context.tokens(), context.target(),
                new LoadRun.Settings(tokenUsers, context.settings().duration(), 0), ServerMeter.none());

        // Each token user: a session (for minting), a refresh token of its own, and a share of the codes.
        List<Browser> browsers = tokenContext.signedInBrowsers(clientId, preparing);
        String[] refreshTokens = new String[tokenUsers];
        for (int u = 0; u < tokenUsers; u++) {
            try {
                refreshTokens[u] = ScenarioContext.await(tokenContext.tokens(browsers.get(u), clientId, true, u)).refreshToken();
            } catch (RuntimeException e) {
                preparing.prepareError(e);
            }
        }
        Queue<Browser.Code> codes = new ConcurrentLinkedQueue<>();
        Measurement minting = new Measurement();
        LoadRun.phase(context.http().vertx(), new LoadRun.Settings(tokenUsers, MINT_TIME, 0),
                user -> codes.size() >= MAX_CODES ? null
                        : browsers.get(user).authorize(clientId, redirectUri, true, null, null).map(codes::add),
                ServerMeter.none(), minting);
        preparing.addPrepareErrors("mint ", minting);

        Tally tally = new Tally();
        long[] steps = new long[tokenUsers];
        LoadRun.Operation token = user -> {
            long sentAt = System.nanoTime();
            int kind = (int) ((user + steps[user]++) % 3);
            Browser.Code code = kind == 0 ? codes.poll() : null;
            if (kind == 0 && code != null) {
                return context.tokens().exchange(clientId, redirectUri, code.code(), code.verifier())
                        .onComplete(r -> tally.token(sentAt, "authorization_code", r));
            }
            if (kind != 2 && refreshTokens[user] != null) {
                return context.tokens().refresh(clientId, refreshTokens[user])
                        .map(tokens -> refreshTokens[user] = tokens.refreshToken())
                        .onComplete(r -> tally.token(sentAt, "refresh_token", r));
            }
            return context.tokens().clientCredentials(context.target().backendClient(), context.target().backendSecret())
                    .onComplete(r -> tally.token(sentAt, "client_credentials", r));
        };
        AtomicLong loginCount = new AtomicLong();
        LoadRun.Operation login = user -> {
            long sentAt = System.nanoTime();
            Promise<Object> done = Promise.promise();
            context.tokens(new Browser(context.http(), context.provider()), clientId,
                    context.target().scatteredUser(loginCount.getAndIncrement())).onComplete(r -> {
                        tally.login(sentAt, r);
                        if (r.succeeded()) {
                            done.complete();
                        } else {
                            context.http().vertx().setTimer(LOGIN_RETRY_MILLIS, t -> done.fail(r.cause()));
                        }
                    });
            return done.future();
        };

        // The store's restart takes a moment of its own, so the run lasts that much longer than its windows.
        Duration total = before.plus(down).plus(after).plusSeconds(3);
        long start = System.nanoTime();
        CompletableFuture<Void> logins = CompletableFuture.runAsync(() -> LoadRun.phase(context.http().vertx(),
                new LoadRun.Settings(loginUsers, total, 0), login, ServerMeter.none(), new Measurement()));
        CompletableFuture<Void> tokens = CompletableFuture.runAsync(() -> LoadRun.phase(context.http().vertx(),
                new LoadRun.Settings(tokenUsers, total, 0), token, ServerMeter.none(), new Measurement()));
        sleep(before);
        long stoppedAt = System.nanoTime();
        tally.stopped(stoppedAt);
        store.stop();
        sleep(down.minusNanos(System.nanoTime() - stoppedAt));
        long startedAt = System.nanoTime();
        store.start();
        long up = System.nanoTime();
        tally.up(up);
        CompletableFuture.allOf(logins, tokens).join();
        long end = System.nanoTime();
        return new Result(tokenUsers, loginUsers, (up - stoppedAt) / 1e9, (startedAt - stoppedAt) / 1e9,
                tally.windows(start, end), preparing.errors());
    }

    private static void sleep(Duration d) {
        if (d.isNegative() || d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
