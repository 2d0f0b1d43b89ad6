package io.latchkey.bench.scenario;

import io.latchkey.bench.load.LoadRun;
import io.latchkey.bench.load.Measurement;

/** Scenario 5: a confidential client asks for an access token with its id and secret (client_secret_basic). */
public final class ClientCredentials implements Scenario {

    @Override
    public String name() {
        return "client_credentials";
    }

    @Override
    public Measurement run(ScenarioContext context) {
        Measurement measured = new Measurement();
        LoadRun.phase(context.http().vertx(), context.settings(),
                user -> context.tokens().clientCredentials(context.target().backendClient(), context.target().backendSecret()),
                context.meter(), measured);
        return measured;
    }
}
