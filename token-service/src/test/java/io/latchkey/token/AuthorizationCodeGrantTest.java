package io.latchkey.token;

import static io.latchkey.token.Flow.ALICE;
import static io.latchkey.token.Flow.ISSUER;
import static io.latchkey.token.Flow.SPA;
import static io.latchkey.token.Flow.SPA_REDIRECT;
import static io.latchkey.token.Flow.assertError;
import static io.latchkey.token.Flow.exchange;
import static io.latchkey.token.Flow.newVerifier;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import com.nimbusds.openid.connect.sdk.validators.AccessTokenValidator;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.latchkey.model.store.CodeStore;
import io.latchkey.model.store.RedisKeys;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;

/** grant_type=authorization_code with PKCE: the happy path through a real OIDC client, then the attacks. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class AuthorizationCodeGrantTest {

    private static final String NONCE = "n-0S6_WzA2Mj";

    @Inject
    CodeStore codes;

    @TestHTTPResource("/token")
    URL tokenEndpoint;

    @TestHTTPResource("/jwks")
    URL jwksEndpoint;

    @Test
    void exchangeWithNimbusThenIdTokenSignatureClaimsNonceAndAtHashValidateAgainstJwks() throws Exception {
        assertNimbusExchange(SPA, SPA_REDIRECT, JWSAlgorithm.RS256);
    }

    @Test
    void exchangeForEs256ClientThenNimbusValidatesEs256Tokens() throws Exception {
        assertNimbusExchange("spa-es256", "http://localhost:5174/callback", JWSAlgorithm.ES256);
    }

    @Test
    void exchangeForEdDsaClientThenIdTokenVerifiesWithPublishedEd25519KeyAndSha512AtHash() throws Exception {
        String verifier = newVerifier();
        String code = Flow.mint(codes, "spa-eddsa", "http://localhost:5175/callback", verifier, List.of("openid"), NONCE);
        Response response = exchange("spa-eddsa", code, "http://localhost:5175/callback", verifier);
        response.then().statusCode(200);
        String jwks = given().get("/jwks").asString();
        JwtClaims claims = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks).getJsonWebKeys()))
                .setExpectedIssuer(ISSUER)
                .setExpectedAudience("spa-eddsa")
                .build()
                .processToClaims(response.path("id_token"));
        byte[] hash = MessageDigest.getInstance("SHA-512").digest(response.<String>path("access_token").getBytes(StandardCharsets.US_ASCII));
        assertThat(claims.getStringClaimValue("at_hash"))
                .isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 32)));
        assertThat(claims.getStringClaimValue("nonce")).isEqualTo(NONCE);
    }

    @Test
    void exchangeWhenSignInWasMultiFactorThenIdTokenCarriesItsAmrAndTheMultiFactorAcrAlsoAfterRefresh() throws Exception {
        String verifier = newVerifier();
        String code = Flow.mint(codes, SPA, SPA_REDIRECT, verifier, List.of("openid", "offline_access"), NONCE,
                List.of("pwd", "otp", "mfa"));
        var tokens = Flow.exchange(SPA, code, SPA_REDIRECT, verifier).then().statusCode(200).extract().jsonPath();
        var first = com.nimbusds.jwt.SignedJWT.parse(tokens.getString("id_token")).getJWTClaimsSet();
        assertThat(first.getStringListClaim("amr")).containsExactly("pwd", "otp", "mfa");
        assertThat(first.getStringClaim("acr")).isEqualTo("urn:latchkey:acr:multi-factor");

        // A refresh reports the original sign-in, not a new one (OIDC Core §12.2).
        var refreshed = Flow.refresh(SPA, tokens.getString("refresh_token")).then().statusCode(200).extract().jsonPath();
        var second = com.nimbusds.jwt.SignedJWT.parse(refreshed.getString("id_token")).getJWTClaimsSet();
        assertThat(second.getStringListClaim("amr")).containsExactly("pwd", "otp", "mfa");
        assertThat(second.getStringClaim("acr")).isEqualTo("urn:latchkey:acr:multi-factor");
    }

    private void assertNimbusExchange(String clientId, String redirectUri, JWSAlgorithm alg) throws Exception {
        String verifier = newVerifier();
        String code = Flow.mint(codes, clientId, redirectUri, verifier, List.of("openid", "profile", "email"), NONCE);

        TokenRequest request = new TokenRequest(tokenEndpoint.toURI(), new ClientID(clientId),
                new com.nimbusds.oauth2.sdk.AuthorizationCodeGrant(new AuthorizationCode(code), URI.create(redirectUri),
                        new CodeVerifier(verifier)));
        var httpResponse = request.toHTTPRequest().send();
        assertThat(httpResponse.getStatusCode()).isEqualTo(200);
        assertThat(httpResponse.getHeaderValue("Cache-Control")).isEqualTo("no-store");
        var parsed = OIDCTokenResponseParser.parse(httpResponse);
        assertThat(parsed.indicatesSuccess()).isTrue();
        OIDCTokens tokens = ((OIDCTokenResponse) parsed.toSuccessResponse()).getOIDCTokens();

        IDTokenValidator validator = new IDTokenValidator(new Issuer(ISSUER), new ClientID(clientId), alg, jwksEndpoint);
        IDTokenClaimsSet claims = validator.validate(tokens.getIDToken(), new Nonce(NONCE));
        AccessTokenValidator.validate(tokens.getAccessToken(), alg, claims.getAccessTokenHash());

        assertThat(claims.getSubject().getValue()).isEqualTo(ALICE);
        assertThat(claims.getAuthorizedParty().getValue()).isEqualTo(clientId);
        assertThat(claims.getAuthenticationTime()).isNotNull();
        assertThat(claims.getStringClaim("sid")).startsWith("sid-");
        assertThat(claims.getStringListClaim("amr")).containsExactly("pwd");
        assertThat(claims.getACR().getValue()).isEqualTo("urn:latchkey:acr:single-factor");
        assertThat(tokens.getAccessToken().getLifetime()).isEqualTo(300);
        assertThat(tokens.getAccessToken().getScope().toStringList()).containsExactly("openid", "profile", "email");
        assertThat(tokens.getRefreshToken()).isNotNull();

        // RFC 9068: the access token is a JWT with typ at+jwt and the claims a resource server needs.
        var accessJwt = com.nimbusds.jwt.SignedJWT.parse(tokens.getAccessToken().getValue());
        assertThat(accessJwt.getHeader().getType().toString()).isEqualTo("at+jwt");
        assertThat(accessJwt.getHeader().getAlgorithm()).isEqualTo(alg);
        var accessClaims = accessJwt.getJWTClaimsSet();
        assertThat(accessClaims.getIssuer()).isEqualTo(ISSUER);
        assertThat(accessClaims.getSubject()).isEqualTo(ALICE);
        assertThat(accessClaims.getAudience()).containsExactly(ISSUER);
        assertThat(accessClaims.getStringClaim("client_id")).isEqualTo(clientId);
        assertThat(accessClaims.getStringClaim("scope")).isEqualTo("openid profile email");
        assertThat(accessClaims.getJWTID()).isNotBlank();
        assertThat(accessClaims.getExpirationTime()).isAfter(accessClaims.getIssueTime());
    }

    @Test
    void exchangeWhenVerifierDoesNotMatchThenInvalidGrant() {
        String code = Flow.mintSpa(codes, newVerifier());
        assertError(exchange(SPA, code, SPA_REDIRECT, newVerifier()), 400, "invalid_grant");
    }

    @Test
    void exchangeWhenVerifierBelongsToAnotherRequestThenInvalidGrant() {
        String verifierA = newVerifier();
        String verifierB = newVerifier();
        String codeA = Flow.mintSpa(codes, verifierA);
        String codeB = Flow.mintSpa(codes, verifierB);
        Response response = exchange(SPA, codeA, SPA_REDIRECT, verifierB);
        assertError(response, 400, "invalid_grant");
        response.then().body("error_description", equalTo("code_verifier does not match the code_challenge."));
        exchange(SPA, codeB, SPA_REDIRECT, verifierB).then().statusCode(200);
    }

    @Test
    void exchangeWhenCodeIssuedToAnotherClientThenInvalidGrantAndCodeUsedUp() {
        String verifier = newVerifier();
        String code = Flow.mintSpa(codes, verifier);
        Response stolen = exchange("other-spa", code, "https://other.example/callback", verifier);
        assertError(stolen, 400, "invalid_grant");
        stolen.then().body("error_description", equalTo("The authorization code was issued to another client."));
        // Any attempt uses the code up, so the thief cannot try again with better guesses.
        assertError(exchange(SPA, code, SPA_REDIRECT, verifier), 400, "invalid_grant");
    }

    @Test
    void exchangeWhenRedirectUriSwappedThenInvalidGrant() {
        String verifier = newVerifier();
        String code = Flow.mintSpa(codes, verifier);
        Response response = exchange(SPA, code, "http://localhost:5173/elsewhere", verifier);
        assertError(response, 400, "invalid_grant");
        response.then().body("error_description", equalTo("redirect_uri does not match the one of the authorization request."));
    }

    @Test
    void exchangeWhenCodeReplayedThenInvalidGrantAndTokensOfTheFirstExchangeRevoked() {
        String verifier = newVerifier();
        String code = Flow.mintSpa(codes, verifier);
        Response first = exchange(SPA, code, SPA_REDIRECT, verifier);
        first.then().statusCode(200);

        Response replay = exchange(SPA, code, SPA_REDIRECT, verifier);
        assertError(replay, 400, "invalid_grant");
        replay.then().body("error_description", equalTo("The authorization code has already been used."));

        // RFC 6749 §4.1.2: what the code issued is revoked: the refresh family and its access tokens.
        assertError(Flow.refresh(SPA, first.path("refresh_token")), 400, "invalid_grant");
        given().auth().oauth2(first.path("access_token")).get("/userinfo").then()
                .statusCode(401)
                .header("WWW-Authenticate", "Bearer realm=\"latchkey\", error=\"invalid_token\", "
                        + "error_description=\"The access token has been revoked.\"");
    }

    @Test
    void exchangeWhenCodeReplayedByClientWithoutRefreshGrantThenAccessTokenOfTheFirstExchangeRevoked() {
        String verifier = newVerifier();
        String code = Flow.mint(codes, "no-refresh", "https://norefresh.example/callback", verifier, List.of("openid"), null);
        Response first = exchange("no-refresh", code, "https://norefresh.example/callback", verifier);
        first.then().statusCode(200);
        given().auth().oauth2(first.<String>path("access_token")).get("/userinfo").then().statusCode(200);

        assertError(exchange("no-refresh", code, "https://norefresh.example/callback", verifier), 400, "invalid_grant");

        given().auth().oauth2(first.<String>path("access_token")).get("/userinfo").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer realm=\"latchkey\", error=\"invalid_token\", "
                        + "error_description=\"The access token has been revoked.\"");
        // The record made for the revocation lives only as long as the access tokens can.
        String familyKey = RedisKeys.family(OpaqueToken.parse(code).orElseThrow().family());
        assertThat(Long.parseLong(TestRedis.get().command("PTTL", familyKey))).isBetween(1L, 300_000L);
    }

    @Test
    void exchangeWhenCodeExpiredThenInvalidGrant() {
        String verifier = newVerifier();
        String code = Flow.mintSpa(codes, verifier);
        OpaqueToken parsed = OpaqueToken.parse(code).orElseThrow();
        // Let Redis expire the code now instead of waiting out its lifetime.
        Flow.expireNow(RedisKeys.code(parsed.family(), parsed.hash()));
        Response response = exchange(SPA, code, SPA_REDIRECT, verifier);
        assertError(response, 400, "invalid_grant");
        response.then().body("error_description", equalTo("The authorization code is invalid or has expired."));
    }

    @Test
    void exchangeWhenCodeUnknownThenInvalidGrant() {
        assertError(exchange(SPA, "not-a-code", SPA_REDIRECT, newVerifier()), 400, "invalid_grant");
    }

    @Test
    void exchangeWhenVerifierMalformedThenInvalidRequestAndCodeStillUsable() {
        String verifier = newVerifier();
        String code = Flow.mintSpa(codes, verifier);
        assertError(exchange(SPA, code, SPA_REDIRECT, "too-short"), 400, "invalid_request");
        assertError(exchange(SPA, code, SPA_REDIRECT, verifier.substring(0, 42) + "!"), 400, "invalid_request");
        exchange(SPA, code, SPA_REDIRECT, verifier).then().statusCode(200);
    }

    @Test
    void exchangeWhenVerifierMissingThenInvalidRequest() {
        String code = Flow.mintSpa(codes, newVerifier());
        Response response = given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "authorization_code").formParam("client_id", SPA)
                .formParam("code", code).formParam("redirect_uri", SPA_REDIRECT)
                .post("/token");
        assertError(response, 400, "invalid_request");
        response.then().body("error_description", equalTo("code_verifier is required."));
    }

    @Test
    void exchangeWhenFiftyConcurrentRedemptionsThenExactlyOneSucceeds() throws Exception {
        String verifier = newVerifier();
        String code = Flow.mintSpa(codes, verifier);
        String form = "grant_type=authorization_code&client_id=spa&code=" + code
                + "&redirect_uri=" + java.net.URLEncoder.encode(SPA_REDIRECT, StandardCharsets.UTF_8)
                + "&code_verifier=" + verifier;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint.toURI())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        List<CompletableFuture<HttpResponse<String>>> inFlight = IntStream.range(0, 50)
                .mapToObj(i -> client.sendAsync(request, HttpResponse.BodyHandlers.ofString())).toList();
        List<HttpResponse<String>> responses = inFlight.stream().map(CompletableFuture::join).toList();

        assertThat(responses.stream().filter(r -> r.statusCode() == 200)).hasSize(1);
        assertThat(responses.stream().filter(r -> r.statusCode() == 400 && r.body().contains("\"error\":\"invalid_grant\""))).hasSize(49);
    }

    @Test
    void exchangeWhenClientLacksRefreshGrantThenNoRefreshToken() {
        String verifier = newVerifier();
        String code = Flow.mint(codes, "no-refresh", "https://norefresh.example/callback", verifier, List.of("openid"), null);
        exchange("no-refresh", code, "https://norefresh.example/callback", verifier).then()
                .statusCode(200)
                .body("refresh_token", nullValue())
                .body("id_token", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void exchangeWithoutOpenidScopeThenNoIdToken() {
        String verifier = newVerifier();
        String code = Flow.mint(codes, SPA, SPA_REDIRECT, verifier, List.of("profile"), null);
        exchange(SPA, code, SPA_REDIRECT, verifier).then()
                .statusCode(200)
                .body("id_token", nullValue())
                .body("scope", equalTo("profile"));
    }

    @Test
    void exchangeByConfidentialClientWithClientSecretBasicThenTokens() throws Exception {
        String verifier = newVerifier();
        String code = Flow.mint(codes, "backend", "https://backend.example/callback", verifier, List.of("openid", "profile"), NONCE);
        TokenRequest request = new TokenRequest(tokenEndpoint.toURI(),
                new ClientSecretBasic(new ClientID("backend"), new Secret("backend-secret")),
                new com.nimbusds.oauth2.sdk.AuthorizationCodeGrant(new AuthorizationCode(code),
                        URI.create("https://backend.example/callback"), new CodeVerifier(verifier)));
        var parsed = OIDCTokenResponseParser.parse(request.toHTTPRequest().send());
        assertThat(parsed.indicatesSuccess()).isTrue();
    }

    @Test
    void exchangeByConfidentialClientWithoutSecretThenInvalidClient() {
        String verifier = newVerifier();
        String code = Flow.mint(codes, "backend", "https://backend.example/callback", verifier, List.of("openid"), NONCE);
        Response response = exchange("backend", code, "https://backend.example/callback", verifier);
        assertError(response, 401, "invalid_client");
        response.then().header("WWW-Authenticate", "Basic realm=\"latchkey\"");
    }
}
