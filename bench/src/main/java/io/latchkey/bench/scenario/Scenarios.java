package io.latchkey.bench.scenario;

import io.latchkey.bench.oidc.Target;
import java.util.List;

/** The scenarios of a run, in the order they run; the names are the report's rows. */
public final class Scenarios {

    public static final String CODE_EXCHANGE_RS256 = "code exchange RS256";
    public static final String CODE_EXCHANGE_ES256 = "code exchange ES256";
    /** The RS256 exchange with a DPoP proof and a dpop_jkt-bound code (RFC 9449): its row beside the bearer one. */
    public static final String DPOP_CODE_EXCHANGE = "DPoP code exchange";
    public static final String REFRESH_ROTATION = "refresh rotation";
    /** The refresh with a DPoP proof, the token bound to the key: its row beside refresh rotation. */
    public static final String DPOP_REFRESH = "DPoP refresh";
    public static final String HALF_PEAK = "code exchange RS256 at half peak";
    public static final String INTERACTIVE_LOGIN = "interactive login";

    private Scenarios() {
    }

    public static List<Scenario> all() {
        return List.of(
                new CodeExchange(CODE_EXCHANGE_RS256, Target::spaClient),
                new CodeExchange(CODE_EXCHANGE_ES256, Target::es256Client),
                new CodeExchange(DPOP_CODE_EXCHANGE, Target::spaClient, true),
                new RefreshRotation(REFRESH_ROTATION, false),
                new RefreshRotation(DPOP_REFRESH, true),
                new SilentRenewal(),
                new InteractiveLogin(),
                new ClientCredentials());
    }

    /**
     * The RS256 exchange again at half the throughput the first run reached, with latency counted from
     * when each request was due: the figure for "p99 at half of peak".
     */
    public static Scenario halfPeak() {
        return new CodeExchange(HALF_PEAK, Target::spaClient);
    }
}
