package io.latchkey.bench.scenario;

import io.latchkey.bench.load.LoadRun;
import io.latchkey.bench.load.Measurement;
import io.latchkey.bench.oidc.Browser;
import io.latchkey.bench.oidc.DpopKey;
import java.util.List;

/**
 * Scenario 2: each virtual user holds its own refresh token (one sign-in and code exchange each, not
 * timed) and refreshes it over and over, keeping the rotated token each time, as a client must.
 *
 * <p>With DPoP (RFC 9449 §5), each user has its own key: its tokens are bound to it from the code on, and each refresh
 * carries a fresh proof. A public client's DPoP-bound refresh token may come back unchanged: the user keeps what the
 * answer gives.
 */
public final class RefreshRotation implements Scenario {

    private final String name;
    private final boolean dpop;


    public RefreshRotation(String name, boolean dpop) {
        this.name = name;
        this.dpop = dpop;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Measurement run(ScenarioContext context) {
        String clientId = context.target().spaClient();
        Measurement measured = new Measurement();
        List<Browser> browsers = context.signedInBrowsers(clientId, measured);
        DpopKey[] keys = new DpopKey[browsers.size()];
        String[] refreshTokens = new String[browsers.size()];
        for (int u = 0; u < browsers.size(); u++) {
            try {
                keys[u] = dpop ? DpopKey.generate() : null;
                refreshTokens[u] = ScenarioContext.await(keys[u] == null ? context.tokens(browsers.get(u), clientId, true, u)
                        : context.dpopTokens(browsers.get(u), clientId, keys[u])).refreshToken();
            } catch (RuntimeException e) {
                measured.prepareError(e);
            }
        }
        LoadRun.phase(context.http().vertx(), context.settings(), user -> refreshTokens[user] == null ? null
                : (keys[user] == null ? context.tokens().refresh(clientId, refreshTokens[user])
                        : context.tokens().refresh(clientId, refreshTokens[user], keys[user]))
                        .map(tokens -> refreshTokens[user] = tokens.refreshToken()),
                context.meter(), measured);
        return measured;
    }
}
