package io.latchkey.token.health;

import io.latchkey.token.keys.KeyRing;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the signing keys are in memory: from then on /jwks and signing need nothing else, so the
 * replica belongs in the Service whatever Redis does. Readiness deliberately does not follow Redis (a
 * blip would take every replica out at once and /jwks with them); paths that need Redis answer 503
 * temporarily_unavailable with Retry-After (RFC 6749 §5.2) instead. Quarkus' own "Graceful Shutdown"
 * check turns readiness down when the pod is stopping.
 */
@Readiness
@ApplicationScoped
public class SigningKeysReadiness implements AsyncHealthCheck {

    static final String NAME = "Signing keys loaded";

    private final KeyRing keyRing;

    public SigningKeysReadiness(KeyRing keyRing) {
        this.keyRing = keyRing;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        // The first call loads the keys (from the mounted file, or in dev from Redis); later calls read memory.
        return keyRing.keys()
                .map(keys -> HealthCheckResponse.up(NAME))
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named(NAME).down()
                        .withData("reason", failure.getClass().getSimpleName()).build());
    }
}
