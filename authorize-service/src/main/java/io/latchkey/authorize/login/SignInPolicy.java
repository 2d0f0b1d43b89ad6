package io.latchkey.authorize.login;

import io.latchkey.model.authn.Acr;
import io.latchkey.model.authn.Amr;
import io.latchkey.model.authn.SecondFactorPolicy;
import io.latchkey.model.domain.AuthorizationRequest;
import io.latchkey.model.domain.ClientRegistration;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Which factors a sign-in for one request must include (docs/authorize-leg.md, "Login options"). The one rule every
 * step of a sign-in and every reuse of a session is checked against, so no path can skip a factor:
 *
 * <ul>
 * <li>a client's own {@code second_factor} setting applies to it, else the realm's ({@code latchkey.login.second-factor});
 * a realm set to {@code required} requires it of every client, whatever the client says;</li>
 * <li>{@code optional} asks users who enrolled a TOTP authenticator; {@code required} asks everyone;</li>
 * <li>{@code acr_values} naming only the multi-factor class asks for it whatever the policy (step-up).</li>
 * </ul>
 *
 * A passkey verified with user verification is multi-factor on its own.
 */
@ApplicationScoped
public class SignInPolicy {

    private final SecondFactorPolicy realm;

    public SignInPolicy(SignInPolicyConfig config) {
        try {
            this.realm = SecondFactorPolicy.of(config.secondFactor());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("latchkey.login.second-factor must be off, optional or required", e);
        }
    }

    public SecondFactorPolicy effective(ClientRegistration client) {
        if (realm == SecondFactorPolicy.REQUIRED || client.secondFactor() == null) {
            return realm;
        }
        return client.secondFactor();
    }

    /** Whether this request's sign-in must be multi-factor, for a user who has (or has not) a TOTP authenticator. */
    public boolean requiresMultiFactor(AuthorizationRequest request, ClientRegistration client, boolean secondFactorEnrolled) {
        return Acr.demandsMultiFactor(request.acrValues()) || switch (effective(client)) {
            case OFF -> false;
            case OPTIONAL -> secondFactorEnrolled;
            case REQUIRED -> true;
        };
    }

    /** Whether a sign-in made with {@code amr} is strong enough for this request. */
    public boolean satisfiedBy(List<String> amr, AuthorizationRequest request, ClientRegistration client,
            boolean secondFactorEnrolled) {
        return Amr.isMultiFactor(amr) || !requiresMultiFactor(request, client, secondFactorEnrolled);
    }
}
