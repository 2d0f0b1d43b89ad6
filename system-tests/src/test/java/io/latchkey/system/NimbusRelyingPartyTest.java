package io.latchkey.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.AuthenticationSuccessResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An independent client library (Nimbus OAuth 2.0 SDK with OpenID Connect) drives the whole flow against
 * the packaged services, configured by discovery alone, and validates every token it gets.
 */
class NimbusRelyingPartyTest {

    private static Stack stack;

    @BeforeAll
    static void start() {
        stack = Stack.start(1);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void codeFlowWithPkceGivesTokensThatValidateAgainstJwks() throws Exception {
        String redirect = "http://127.0.0.1:" + io.latchkey.testing.TestRedis.freePort() + "/callback";
        OidcClient client = new OidcClient(stack.issuer, Stack.NATIVE_CLIENT, redirect);
        assertThat(client.provider.getCodeChallengeMethods()).extracting(Object::toString).containsExactly("S256");

        OidcClient.Attempt attempt = client.newAttempt();
        URI callback = new FormDriver().authorize(attempt.request().toURI(), redirect, Stack.USERNAME, Stack.PASSWORD);
        AuthenticationSuccessResponse success = client.parseCallback(callback);

        assertThat(success.getState()).isEqualTo(attempt.state());
        assertThat(success.getIssuer()).as("RFC 9207 iss").isEqualTo(new Issuer(stack.issuer));

        TokenResponse response = client.exchange(client.provider.getTokenEndpointURI(), success.getAuthorizationCode(), attempt.verifier());
        assertThat(response.indicatesSuccess()).as(String.valueOf(response)).isTrue();
        OIDCTokens tokens = ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens();

        IDTokenValidator validator = new IDTokenValidator(new Issuer(stack.issuer), client.clientId, JWSAlgorithm.RS256,
                client.provider.getJWKSetURI().toURL());
        IDTokenClaimsSet id = validator.validate(tokens.getIDToken(), attempt.nonce());
        assertThat(id.getNonce()).isEqualTo(attempt.nonce());
        assertThat(id.getAccessTokenHash())
                .isEqualTo(AccessTokenHash.compute(tokens.getAccessToken(), JWSAlgorithm.RS256, null));
        assertThat(id.getAuthenticationTime()).isNotNull();
        assertThat(id.getSubject().getValue()).isEqualTo("8d1f6c1e-0b9a-4c55-9a5e-2f1b8f0c3a11");

        JWTClaimsSet access = client.verifyAccessToken(tokens.getAccessToken().getValue());
        assertThat(access.getSubject()).isEqualTo(id.getSubject().getValue());
        assertThat(access.getStringClaim("client_id")).isEqualTo(Stack.NATIVE_CLIENT);

        UserInfoResponse userInfo = UserInfoResponse.parse(
                new UserInfoRequest(client.provider.getUserInfoEndpointURI(), tokens.getBearerAccessToken()).toHTTPRequest().send());
        assertThat(userInfo.indicatesSuccess()).as(String.valueOf(userInfo)).isTrue();
        assertThat(userInfo.toSuccessResponse().getUserInfo().getEmailAddress()).isEqualTo("alice@example.com");
        assertThat(userInfo.toSuccessResponse().getUserInfo().getSubject()).isEqualTo(id.getSubject());

        // Refresh rotates; the rotated token presented again is refused.
        assertThat(tokens.getRefreshToken()).isNotNull();
        TokenResponse refreshed = OIDCTokenResponseParser.parse(new TokenRequest(client.provider.getTokenEndpointURI(),
                client.clientId, new RefreshTokenGrant(tokens.getRefreshToken())).toHTTPRequest().send());
        assertThat(refreshed.indicatesSuccess()).as(String.valueOf(refreshed)).isTrue();
        assertThat(refreshed.toSuccessResponse().getTokens().getRefreshToken()).isNotEqualTo(tokens.getRefreshToken());
        TokenResponse reused = OIDCTokenResponseParser.parse(new TokenRequest(client.provider.getTokenEndpointURI(),
                client.clientId, new RefreshTokenGrant(tokens.getRefreshToken())).toHTTPRequest().send());
        assertThat(((TokenErrorResponse) reused).getErrorObject().getCode()).isEqualTo("invalid_grant");
    }

    @Test
    void codeRedeemedTwiceIsRefusedTheSecondTime() throws Exception {
        String redirect = "http://127.0.0.1:" + io.latchkey.testing.TestRedis.freePort() + "/callback";
        OidcClient client = new OidcClient(stack.issuer, Stack.NATIVE_CLIENT, redirect);
        OidcClient.Attempt attempt = client.newAttempt();
        var success = client.parseCallback(new FormDriver().authorize(attempt.request().toURI(), redirect, Stack.USERNAME, Stack.PASSWORD));

        assertThat(client.exchange(client.provider.getTokenEndpointURI(), success.getAuthorizationCode(), attempt.verifier())
                .indicatesSuccess()).isTrue();
        TokenResponse replay = client.exchange(client.provider.getTokenEndpointURI(), success.getAuthorizationCode(), attempt.verifier());
        assertThat(((TokenErrorResponse) replay).getErrorObject().getCode()).isEqualTo("invalid_grant");
        assertThat(((TokenErrorResponse) replay).getErrorObject().getHTTPStatusCode()).isEqualTo(400);
    }
}
