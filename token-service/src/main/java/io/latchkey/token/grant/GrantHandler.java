package io.latchkey.token.grant;

import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.domain.GrantType;
import io.latchkey.model.form.Parameters;
import io.latchkey.token.web.DeclaredParameters;
import io.smallrye.mutiny.Uni;

/**
 * One grant type of the token endpoint (RFC 6749 §4). A handler declares the parameters it reads; the
 * resource has checked them (each at most once, the required ones present), authenticated the client and
 * checked that it is registered for this grant. The handler validates the values, consumes the grant and
 * has the tokens issued; it sees only the parameters it declared. It never writes HTTP: failures are
 * OAuthExceptions. The resource has also verified the request's DPoP proof, if any (RFC 9449 §5), before anything
 * is consumed; the handler gets the key it binds the tokens to.
 */
public interface GrantHandler {

    GrantType grantType();

    /** The parameters of this grant beyond grant_type and client authentication. */
    DeclaredParameters parameters();

    Uni<TokenResponse> handle(Parameters form, ClientRegistration client, DpopBinding dpop);
}
