package io.latchkey.bench.scenario;

import io.latchkey.bench.load.LoadRun;
import io.latchkey.bench.load.Measurement;
import io.latchkey.bench.oidc.Browser;
import io.latchkey.bench.oidc.DpopKey;
import io.latchkey.bench.oidc.Target;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * Scenario 1, the token endpoint alone: codes are minted beforehand through the real authorization
 * endpoint (prompt=none on live sessions), then exchanged with their verifiers as fast as the server
 * answers, or at a fixed rate. Minting and exchanging alternate in rounds so no code outlives its
 * 60-second lifetime; only the exchange phases are timed and charged with server CPU.
 *
 * <p>With DPoP (RFC 9449), each virtual user has its own key, as each browser app does: the codes it mints are bound
 * to that key by {@code dpop_jkt} (§10), and each exchange carries a fresh proof by it (§5), so the server verifies
 * one more signature and records one more {@code jti} per operation.
 */
public final class CodeExchange implements Scenario {

    /** A round mints at most this many codes, or for at most {@link #MINT_TIME}. */
    private static final int MAX_BATCH = 20_000;
    private static final Duration MINT_TIME = Duration.ofSeconds(8);

    /** A minted code, and the key it is bound to (null without DPoP). */
    private record Minted(Browser.Code code, DpopKey key) {
    }

    private final String name;
    private final Function<Target, String> client;
    private final boolean dpop;

    public CodeExchange(String name, Function<Target, String> client) {
        this(name, client, false);
    }

    public CodeExchange(String name, Function<Target, String> client, boolean dpop) {
        this.name = name;
        this.client = client;
        this.dpop = dpop;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Measurement run(ScenarioContext context) {
        String clientId = client.apply(context.target());
        String redirectUri = context.target().redirectUri();
        Measurement measured = new Measurement();
        List<Browser> browsers = context.signedInBrowsers(clientId, measured);
        List<DpopKey> keys = dpop ? browsers.stream().map(b -> DpopKey.generate()).toList() : null;
        Duration total = context.settings().duration();
        while (measured.seconds() < total.toMillis() / 1000.0) {
            Queue<Minted> codes = new ConcurrentLinkedQueue<>();
            Measurement minting = new Measurement();
            // A short run (the CI smoke run) mints for no longer than it measures.
            Duration mintTime = total.compareTo(MINT_TIME) < 0 ? total : MINT_TIME;
            LoadRun.Settings mint = new LoadRun.Settings(context.settings().concurrency(), mintTime, 0);
            LoadRun.phase(context.http().vertx(), mint, user -> {
                if (codes.size() >= MAX_BATCH) {
                    return null;
                }
                DpopKey key = keys == null ? null : keys.get(user);
                return browsers.get(user).authorize(clientId, redirectUri, true, null, null, key == null ? null : key.thumbprint())
                        .map(code -> codes.add(new Minted(code, key)));
            }, io.latchkey.bench.server.ServerMeter.none(), minting);
            measured.addPrepareErrors("mint ", minting);
            if (codes.isEmpty()) {
                break;
            }
            Duration left = Duration.ofMillis(Math.max(1, total.toMillis() - (long) (measured.seconds() * 1000)));
            LoadRun.phase(context.http().vertx(), context.settings().withDuration(left), user -> {
                Minted minted = codes.poll();
                if (minted == null) {
                    return null;
                }
                Browser.Code code = minted.code();
                // The code goes back with the key it is bound to: that of the user who minted it.
                return minted.key() == null ? context.tokens().exchange(clientId, redirectUri, code.code(), code.verifier())
                        : context.tokens().exchange(clientId, redirectUri, code.code(), code.verifier(), minted.key());
            }, context.meter(), measured);
        }
        return measured;
    }
}
