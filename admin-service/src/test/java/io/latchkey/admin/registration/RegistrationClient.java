package io.latchkey.admin.registration;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.client.ClientInformation;
import com.nimbusds.oauth2.sdk.client.ClientInformationResponse;
import com.nimbusds.oauth2.sdk.client.ClientMetadata;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationRequest;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationResponse;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import io.latchkey.admin.TestTokens;
import java.net.URI;
import java.util.Set;

/** Registers clients the way a relying party does, with Nimbus's RFC 7591 classes over real HTTP. */
final class RegistrationClient {

    private RegistrationClient() {
    }

    /** A confidential web client of the code flow, with refresh tokens. */
    static ClientMetadata webApp() {
        ClientMetadata metadata = new ClientMetadata();
        metadata.setName("Web app");
        metadata.setRedirectionURI(URI.create("https://app.example.com/callback"));
        metadata.setGrantTypes(Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN));
        metadata.setResponseTypes(Set.of(ResponseType.CODE));
        metadata.setTokenEndpointAuthMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
        metadata.setScope(Scope.parse("openid profile offline_access"));
        return metadata;
    }

    /** A public single-page app on a loopback development server. */
    static ClientMetadata spa() {
        ClientMetadata metadata = new ClientMetadata();
        metadata.setName("SPA");
        metadata.setRedirectionURI(URI.create("http://localhost:5173/callback"));
        metadata.setGrantTypes(Set.of(GrantType.AUTHORIZATION_CODE));
        metadata.setTokenEndpointAuthMethod(ClientAuthenticationMethod.NONE);
        return metadata;
    }

    static BearerAccessToken operator() {
        return new BearerAccessToken(TestTokens.client("ops-robot", "clients"));
    }

    static HTTPRequest request(URI endpoint, ClientMetadata metadata, BearerAccessToken initialToken) {
        return new ClientRegistrationRequest(endpoint, metadata, initialToken).toHTTPRequest();
    }

    static ClientRegistrationResponse send(URI endpoint, ClientMetadata metadata, BearerAccessToken initialToken) throws Exception {
        return ClientRegistrationResponse.parse(request(endpoint, metadata, initialToken).send());
    }

    /** Registers and expects success. */
    static ClientInformation register(URI endpoint, ClientMetadata metadata) throws Exception {
        ClientRegistrationResponse response = send(endpoint, metadata, operator());
        if (!response.indicatesSuccess()) {
            throw new AssertionError("registration refused: " + response.toErrorResponse().getErrorObject().toJSONObject());
        }
        return ((ClientInformationResponse) response).getClientInformation();
    }
}
