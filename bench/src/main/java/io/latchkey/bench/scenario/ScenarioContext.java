package io.latchkey.bench.scenario;

import io.latchkey.bench.load.Http;
import io.latchkey.bench.load.LoadRun;
import io.latchkey.bench.load.Measurement;
import io.latchkey.bench.oidc.Browser;
import io.latchkey.bench.oidc.DpopKey;
import io.latchkey.bench.oidc.Provider;
import io.latchkey.bench.oidc.Target;
import io.latchkey.bench.oidc.TokenEndpoint;
import io.latchkey.bench.oidc.TokenSet;
import io.latchkey.bench.server.ServerMeter;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What every scenario runs with: one provider, its realm, the load settings and the meter of its processes. */
public record ScenarioContext(Http http, Provider provider, TokenEndpoint tokens, Target target,
        LoadRun.Settings settings, ServerMeter meter) {

    /** One signed-in browser per virtual user, each with its own session at the provider (not measured). */
    public List<Browser> signedInBrowsers(String clientId, Measurement errorsInto) {
        List<Browser> browsers = new ArrayList<>();
        List<Future<?>> logins = new ArrayList<>();
        for (int u = 0; u < settings.concurrency(); u++) {
            Browser browser = new Browser(http, provider);
            browsers.add(browser);
            logins.add(browser.authorize(clientId, target.redirectUri(), false, target.user(u), target.password()));
        }
        for (Future<?> login : logins) {
            try {
                await(login);
            } catch (RuntimeException e) {
                errorsInto.prepareError(e);
            }
        }
        return browsers;
    }

    /**
     * What a client does to get tokens: an authorization request in {@code browser} (with prompt=none when
     * {@code silent}, else signing in as virtual user {@code user}), then the exchange of its code.
     */
    public Future<TokenSet> tokens(Browser browser, String clientId, boolean silent, int user) {
        return silent ? tokens(browser, clientId, null) : tokens(browser, clientId, target.user(user));
    }

    /** The same, signing in as {@code username}, or with prompt=none when it is null. */
    public Future<TokenSet> tokens(Browser browser, String clientId, String username) {
        return browser.authorize(clientId, target.redirectUri(), username == null, username, target.password())
                .compose(code -> tokens.exchange(clientId, target.redirectUri(), code.code(), code.verifier()));
    }

    /** The same with prompt=none and DPoP: the code bound to {@code key} by dpop_jkt, then redeemed with its proof. */
    public Future<TokenSet> dpopTokens(Browser browser, String clientId, DpopKey key) {
        return browser.authorize(clientId, target.redirectUri(), true, null, null, key.thumbprint())
                .compose(code -> tokens.exchange(clientId, target.redirectUri(), code.code(), code.verifier(), key));
    }

    public static <T> T await(Future<T> future) {
        return future.toCompletionStage().toCompletableFuture()
                .orTimeout(Duration.ofSeconds(60).toMillis(), TimeUnit.MILLISECONDS)
                .join();
    }
}
