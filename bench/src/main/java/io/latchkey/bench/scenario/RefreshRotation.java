package io.latchkey.bench.scenario;

import io.latchkey.bench.load.LoadRun;
import io.latchkey.bench.load.Measurement;
import io.latchkey.bench.oidc.Browser;
import java.util.List;

/**
 * Scenario 2: each virtual user holds its own refresh token (one sign-in and code exchange each, not
 * timed) and refreshes it over and over, keeping the rotated token each time, as a client must.
 */
public final class RefreshRotation implements Scenario {

    @Override
    public String name() {
        return "refresh rotation";
    }

    @Override
    public Measurement run(ScenarioContext context) {
        String clientId = context.target().spaClient();
        Measurement measured = new Measurement();
        List<Browser> browsers = context.signedInBrowsers(clientId, measured);
        String[] refreshTokens = new String[browsers.size()];
        for (int u = 0; u < browsers.size(); u++) {
            try {
                refreshTokens[u] = ScenarioContext.await(context.tokens(browsers.get(u), clientId, true, u)).refreshToken();
            } catch (RuntimeException e) {
                measured.prepareError(e);
            }
        }
        LoadRun.phase(context.http().vertx(), context.settings(), user -> refreshTokens[user] == null ? null
                : context.tokens().refresh(clientId, refreshTokens[user]).map(tokens -> refreshTokens[user] = tokens.refreshToken()),
                context.meter(), measured);
        return measured;
    }
}
