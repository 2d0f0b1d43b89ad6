package io.latchkey.token;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.latchkey.model.keys.SigningKeys;
import io.latchkey.model.store.CodeStore;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.token.keys.KeyRing;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jose4j.jca.ProviderContext;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * token-service.crypto-provider=auto (the default) on linux-x86_64, the platform of the native library
 * the build ships: the Amazon Corretto Crypto Provider signs, and the JDK's providers verify what it
 * signed.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class SigningProviderTest {

    private static final String ACCP = "AmazonCorrettoCryptoProvider";

    @Inject
    CodeStore codes;

    @Inject
    KeyRing keyRing;

    @Inject
    io.latchkey.token.issue.SigningProvider provider;

    @TestHTTPResource(value = "metrics", management = true) // under the management root, /q
    URL metrics;

    @Test
    void startUpThenMetricsNameAccpAsTheSigner() {
        given().get(metrics).then()
                .statusCode(200)
                .body(containsString("latchkey_crypto_provider_info{provider=\"" + ACCP + "\",version=\"2.5.0\"} 1.0"));
    }

    @Test
    void startUpThenSigningKeysAreParsedAfterAccpIsInstalled() {
        SigningKeys keys = keyRing.keys().await().atMost(Duration.ofSeconds(10));
        // ACCP's KeyFactory made these, so ACCP had been installed before KeyRing parsed the key file.
        // (ACCP has no KeyFactory for Ed25519: that key is the JDK's, which ACCP signs with as it is.)
        assertThat(keys.signing("RS256").orElseThrow().getPrivateKey().getClass().getName())
                .startsWith("com.amazon.corretto.crypto.provider.");
        assertThat(keys.signing("ES256").orElseThrow().getPrivateKey().getClass().getName())
                .startsWith("com.amazon.corretto.crypto.provider.");
    }

    @Test
    void underAccpOnlyTheCheapAlgorithmsAreSignedOnTheEventLoop() {
        assertThat(provider.signsOnEventLoop("ES256")).isTrue();
        assertThat(provider.signsOnEventLoop("EdDSA")).isTrue();
        assertThat(provider.signsOnEventLoop("RS256")).isFalse();
        assertThat(provider.signsOnEventLoop("HS256")).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "spa,       http://localhost:5173/callback, RS256, SunRsaSign",
        "spa-es256, http://localhost:5174/callback, ES256, SunEC",
        "spa-eddsa, http://localhost:5175/callback, EdDSA, SunEC"})
    void tokenWhenSignedByAccpThenTheJdkVerifiesItWithTheJwksKey(String client, String redirectUri, String alg, String jdk)
            throws Exception {
        String verifier = Flow.newVerifier();
        String code = Flow.mint(codes, client, redirectUri, verifier, List.of("openid"), "n-0S6_WzA2Mj");
        Response response = Flow.exchange(client, code, redirectUri, verifier);
        response.then().statusCode(200);
        JsonWebKeySet jwks = new JsonWebKeySet(given().get("/jwks").asString());

        for (String token : List.of(response.<String>path("access_token"), response.<String>path("id_token"))) {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setCompactSerialization(token);
            assertThat(jws.getAlgorithmHeaderValue()).isEqualTo(alg);
            JsonWebKey published = jwks.findJsonWebKey(jws.getKeyIdHeaderValue(), null, null, null);
            // The public key is made by the JDK's KeyFactory and checked by the JDK's Signature.
            PublicJsonWebKey key = PublicJsonWebKey.Factory.newPublicJwk(published.toJson(), jdk);
            jws.setKey(key.getPublicKey());
            ProviderContext context = new ProviderContext();
            context.getSuppliedKeyProviderContext().setSignatureProvider(jdk);
            jws.setProviderContext(context);
            assertThat(jws.verifySignature()).as("%s token verified by %s", alg, jdk).isTrue();
        }
    }

    @ParameterizedTest
    @CsvSource({"test-rs256-new, SunRsaSign", "test-es256, SunEC", "test-eddsa, SunEC"})
    void tokenWhenSignedByTheJdkThenTheServiceAcceptsIt(String kid, String jdk) throws Exception {
        PublicJsonWebKey key = PublicJsonWebKey.Factory.newPublicJwk(
                TestKeys.key(kid).toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE), jdk);
        String accessToken = TestKeys.accessToken(key, "at+jwt", Map.of(), jdk);

        given().auth().oauth2(accessToken).get("/userinfo").then()
                .statusCode(200)
                .body("sub", equalTo(Flow.ALICE));
    }
}
