package io.latchkey.system;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.AuthenticationSuccessResponse;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.net.URI;

/** A relying party built on the Nimbus OAuth 2.0 / OpenID Connect SDK, configured by discovery only. */
final class OidcClient {

    final OIDCProviderMetadata provider;
    final ClientID clientId;
    final URI redirectUri;

    /** One authorization request and the secrets the client keeps for it. */
    record Attempt(AuthenticationRequest request, CodeVerifier verifier, Nonce nonce, State state) {
    }

    OidcClient(String issuer, String clientId, String redirectUri) throws Exception {
        this.provider = OIDCProviderMetadata.resolve(new Issuer(issuer));
        this.clientId = new ClientID(clientId);
        this.redirectUri = URI.create(redirectUri);
    }

    Attempt newAttempt() {
        CodeVerifier verifier = new CodeVerifier();
        Nonce nonce = new Nonce();
        State state = new State();
        AuthenticationRequest request = new AuthenticationRequest.Builder(ResponseType.CODE,
                new Scope("openid", "profile", "email", "offline_access"), clientId, redirectUri)
                .endpointURI(provider.getAuthorizationEndpointURI())
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build();
        return new Attempt(request, verifier, nonce, state);
    }

    AuthenticationSuccessResponse parseCallback(URI callback) throws Exception {
        AuthenticationResponse response = AuthenticationResponseParser.parse(callback);
        if (!response.indicatesSuccess()) {
            throw new AssertionError("authorization failed: " + response.toErrorResponse().getErrorObject());
        }
        return response.toSuccessResponse();
    }

    TokenResponse exchange(URI tokenEndpoint, AuthorizationCode code, CodeVerifier verifier) throws Exception {
        TokenRequest request = new TokenRequest(tokenEndpoint, clientId, new AuthorizationCodeGrant(code, redirectUri, verifier));
        return OIDCTokenResponseParser.parse(request.toHTTPRequest().send());
    }

    /** Verifies an RFC 9068 access token as a resource server would: signature by /jwks, typ, issuer, expiry. */
    JWTClaimsSet verifyAccessToken(String accessToken) throws Exception {
        JWKSource<SecurityContext> keys = JWKSourceBuilder.create(provider.getJWKSetURI().toURL()).retrying(true).build();
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                java.util.Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA), keys));
        JWTClaimsSet claims = processor.process(accessToken, null);
        if (!provider.getIssuer().getValue().equals(claims.getIssuer())) {
            throw new AssertionError("access token issuer " + claims.getIssuer());
        }
        return claims;
    }
}
