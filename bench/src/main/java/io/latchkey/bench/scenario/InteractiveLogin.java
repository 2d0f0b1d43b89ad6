package io.latchkey.bench.scenario;

import io.latchkey.bench.load.LoadRun;
import io.latchkey.bench.load.Measurement;
import io.latchkey.bench.oidc.Browser;

/**
 * Scenario 4, a person signing in: a new browser with no session, the authorization request, the login
 * page, the password, the redirect with the code, the exchange. Bound by the password hash's cost, which
 * the report states beside the figure.
 */
public final class InteractiveLogin implements Scenario {

    @Override
    public String name() {
        return "interactive login";
    }

    @Override
    public Measurement run(ScenarioContext context) {
        String clientId = context.target().spaClient();
        Measurement measured = new Measurement();
        LoadRun.phase(context.http().vertx(), context.settings(),
                user -> context.tokens(new Browser(context.http(), context.provider()), clientId, false, user),
                context.meter(), measured);
        return measured;
    }
}
