package io.latchkey.bench.scenario;

import io.latchkey.bench.load.LoadRun;
import io.latchkey.bench.load.Measurement;
import io.latchkey.bench.oidc.Browser;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 4, a person signing in: a new browser with no session, the authorization request, the login
 * page, the password, the redirect with the code, the exchange. Bound by the password hash's cost, which
 * the report states beside the figure. Each login signs in another user, in turn over the whole realm.
 */
public final class InteractiveLogin implements Scenario {

    @Override
    public String name() {
        return Scenarios.INTERACTIVE_LOGIN;
    }

    @Override
    public Measurement run(ScenarioContext context) {
        String clientId = context.target().spaClient();
        Measurement measured = new Measurement();
        // Every login signs in the next user, scattered over the whole directory (Target#scatteredUser).
        AtomicLong logins = new AtomicLong();
        LoadRun.phase(context.http().vertx(), context.settings(),
                user -> context.tokens(new Browser(context.http(), context.provider()), clientId,
                        context.target().scatteredUser(logins.getAndIncrement())),
                context.meter(), measured);
        return measured;
    }
}
