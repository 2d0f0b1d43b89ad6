package io.latchkey.bench.scenario;

import io.latchkey.bench.load.LoadRun;
import io.latchkey.bench.load.Measurement;
import io.latchkey.bench.oidc.Browser;
import java.util.List;

/**
 * Scenario 3, what an SPA does to renew its tokens without a refresh token: an authorization request
 * with prompt=none on the live session, then the code exchange. Both legs are timed as one operation.
 */
public final class SilentRenewal implements Scenario {

    @Override
    public String name() {
        return "silent renewal";
    }

    @Override
    public Measurement run(ScenarioContext context) {
        String clientId = context.target().spaClient();
        Measurement measured = new Measurement();
        List<Browser> browsers = context.signedInBrowsers(clientId, measured);
        LoadRun.phase(context.http().vertx(), context.settings(),
                user -> context.tokens(browsers.get(user), clientId, true, user), context.meter(), measured);
        return measured;
    }
}
