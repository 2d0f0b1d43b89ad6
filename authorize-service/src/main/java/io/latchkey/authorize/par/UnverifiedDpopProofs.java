package io.latchkey.authorize.par;

import io.latchkey.model.oauth.OAuthError;
import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Where authorize-service has no DPoP proof verifier, a proof at /par is refused: a binding the client asked for is
 * never dropped without a word. {@code dpop_jkt} in the form binds the code all the same (RFC 9449 §10.1).
 */
@DefaultBean
@ApplicationScoped
public class UnverifiedDpopProofs implements DpopProofKeys {

    @Override
    public Uni<String> thumbprint(String proof, String method, String url) {
        return Uni.createFrom().failure(OAuthError.INVALID_DPOP_PROOF.withDescription(
                "DPoP proofs are not verified at this endpoint: send the key's thumbprint as dpop_jkt instead (RFC 9449 10.1)."));
    }
}
