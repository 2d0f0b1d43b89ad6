package io.latchkey.token.grant;

import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.domain.GrantType;
import io.latchkey.model.form.Parameters;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.token.issue.Authorization;
import io.latchkey.token.issue.TokenIssuer;
import io.latchkey.token.web.DeclaredParameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * {@code grant_type=client_credentials} (RFC 6749 §4.4): a confidential client acting for itself. No
 * refresh token (§4.4.3) and no ID token: there is no user. The openid scope means nothing here and is
 * never granted.
 */
@ApplicationScoped
public class ClientCredentialsGrant implements GrantHandler {

    /** RFC 6749 §4.4.2. */
    static final DeclaredParameters PARAMETERS = DeclaredParameters.optional("scope");

    private final TokenIssuer issuer;

    public ClientCredentialsGrant(TokenIssuer issuer) {
        this.issuer = issuer;
    }

    @Override
    public GrantType grantType() {
        return GrantType.CLIENT_CREDENTIALS;
    }

    @Override
    public DeclaredParameters parameters() {
        return PARAMETERS;
    }

    @Override
    public Uni<TokenResponse> handle(Parameters form, ClientRegistration client, DpopBinding dpop) {
        if (client.isPublic()) {
            throw OAuthError.UNAUTHORIZED_CLIENT.withDescription("client_credentials is for confidential clients only.");
        }
        List<String> allowed = client.scopes().stream().filter(s -> !Authorization.OPENID.equals(s)).sorted().toList();
        List<String> scopes = Scopes.narrow(form.single("scope"), allowed, "The client may not request this scope.");
        return issuer.issue(client, Authorization.forClient(client, scopes).boundTo(dpop.jkt()))
                .map(tokens -> TokenResponse.of(tokens, null));
    }
}
