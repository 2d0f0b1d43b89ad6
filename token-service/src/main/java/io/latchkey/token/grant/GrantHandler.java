package io.latchkey.token.grant;

import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.domain.GrantType;
import io.latchkey.token.web.FormBody;
import io.smallrye.mutiny.Uni;

/**
 * One grant type of the token endpoint (RFC 6749 §4). The resource has already authenticated the client
 * and checked that it is registered for this grant; a handler validates its own parameters, consumes the
 * grant, and has the tokens issued. It never writes HTTP: failures are OAuthExceptions.
 */
public interface GrantHandler {

    GrantType grantType();

    Uni<TokenResponse> handle(FormBody form, ClientRegistration client);
}
