package io.latchkey.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.latchkey.bench.load.Http;
import io.latchkey.bench.oidc.Browser;
import io.latchkey.bench.oidc.Provider;
import io.latchkey.bench.oidc.Target;
import io.latchkey.bench.oidc.TokenEndpoint;
import io.latchkey.bench.oidc.TokenSet;
import io.latchkey.bench.report.Report;
import io.latchkey.bench.report.ScenarioResult;
import io.latchkey.bench.report.TargetResult;
import io.latchkey.bench.scenario.Scenario;
import io.latchkey.bench.scenario.ScenarioContext;
import io.latchkey.bench.scenario.Scenarios;
import io.latchkey.bench.server.NodeOidcProvider;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * node-oidc-provider as the bench runs it (issue 16): installed with npm ci if need be, started with the benchmark realm,
 * its tokens checked as a relying party checks them (signatures against its JWKS, issuer, audience, expiry), then every
 * scenario for a second against it, failing on any error and never on speed. Node.js and npm are prerequisites of
 * the tests (the system tests build the demo SPA with them), so their absence fails this test with the reason
 * instead of skipping it; only the comparison run skips node-oidc-provider without them.
 */
class NodeOidcProviderSmokeTest {

    private static final Path ROOT = Path.of(System.getProperty("latchkey.root", "..")).toAbsolutePath().normalize();
    private static final Path DIR = ROOT.resolve("bench/node-oidc-provider");

    @Test
    void itsTokensAreRealAndEveryScenarioRunsWithoutErrors() throws Exception {
        String unavailable = NodeOidcProvider.unavailable(DIR);
        assertThat(unavailable).as("node-oidc-provider cannot run: %s", unavailable).isNull();
        Path out = ROOT.resolve("bench/target/smoke-node");
        Comparison comparison = new Comparison(ROOT, out, Duration.ofSeconds(1), Duration.ZERO, 4, null, List.of(), null, Map.of(),
                Comparison.Directory.NONE, DIR);

        try (NodeOidcProvider node = NodeOidcProvider.start(DIR, ROOT.resolve("bench/realm/keycloak-bench-realm.json"), out.resolve("logs"))) {
            tokensAreReal(node.issuer());

            TargetResult result = comparison.measure(node);

            List<String> expected = new ArrayList<>(Scenarios.all().stream().map(Scenario::name).toList());
            expected.add(Scenarios.HALF_PEAK);
            assertThat(result.scenarios()).extracting(ScenarioResult::scenario).containsExactlyElementsOf(expected);
            for (ScenarioResult r : result.scenarios()) {
                assertThat(r.errors()).as(r.scenario()).isEmpty();
                assertThat(r.operations()).as(r.scenario()).isPositive();
                assertThat(r.cpuMillisPerOperation()).as(r.scenario()).isPositive();
            }
            assertThat(result.startupMillis()).containsOnlyKeys(NodeOidcProvider.PROCESS)
                    .allSatisfy((process, millis) -> assertThat(millis).isPositive());
            assertThat(result.peakRssMib()).containsOnlyKeys(NodeOidcProvider.PROCESS)
                    .allSatisfy((process, mib) -> assertThat(mib).isPositive());

            // Beside a subject (here the same figures under Latchkey's name: the table's shape is what is checked).
            TargetResult asSubject = new TargetResult(Comparison.LATCHKEY, result.startupMillis(), result.peakRssMib(), result.scenarios(),
                    List.of());
            String md = new Report(Map.of(), Map.of(), List.of(asSubject, result), Comparison.LATCHKEY, null, null, null, null).markdown();
            assertThat(md).contains("## Providers side by side")
                    .contains("| scenario | Latchkey ops/s | node-oidc-provider ops/s | Latchkey CPU ms/op | node-oidc-provider CPU ms/op"
                            + " | CPU Latchkey ÷ node-oidc-provider |")
                    .contains("| code exchange RS256 |")
                    .containsPattern("\\| node-oidc-provider \\| [\\d,]+ \\| [\\d,]+ \\| node [\\d,]+ MiB, ready in [\\d,]+ ms \\|");
        }
    }

    /**
     * A sign-in through the login form, the code exchange, a refresh and client_credentials: the ID token passes Nimbus's
     * ID token validation against the JWKS (RS256 for bench-spa, ES256 for bench-spa-es256), the access tokens are JWTs
     * signed by the same keys, and the refresh token rotates.
     */
    private static void tokensAreReal(String issuer) throws Exception {
        try (Http http = new Http(8, 30_000)) {
            Provider provider = Provider.discover(http, issuer);
            TokenEndpoint tokens = new TokenEndpoint(http, provider);
            Target target = Target.benchRealm(Comparison.NODE_OIDC_PROVIDER, issuer);
            URL jwks = new URL(issuer + "/jwks");
            JWKSource<SecurityContext> keys = JWKSourceBuilder.create(jwks).build();

            for (String client : List.of(target.spaClient(), target.es256Client())) {
                JWSAlgorithm alg = client.equals(target.es256Client()) ? JWSAlgorithm.ES256 : JWSAlgorithm.RS256;
                Browser browser = new Browser(http, provider);
                Browser.Code code = ScenarioContext.await(browser.authorize(client, target.redirectUri(), false, target.user(3), target.password()));
                TokenSet set = ScenarioContext.await(tokens.exchange(client, target.redirectUri(), code.code(), code.verifier()));

                IDTokenValidator validator = new IDTokenValidator(new Issuer(issuer), new ClientID(client), alg, jwks);
                // The browser's nonce is its own; validating without one checks signature, issuer, audience and times.
                var claims = validator.validate(SignedJWT.parse(set.idToken()), (Nonce) null);
                assertThat(claims.getSubject().getValue()).isEqualTo("6e6c0000-0000-4000-8000-000000000003");
                assertThat(accessToken(set.accessToken(), alg, keys).getStringClaim("client_id")).isEqualTo(client);

                TokenSet refreshed = ScenarioContext.await(tokens.refresh(client, set.refreshToken()));
                assertThat(refreshed.refreshToken()).isNotEqualTo(set.refreshToken());
                validator.validate(SignedJWT.parse(refreshed.idToken()), (Nonce) null);
                // The rotated-out token is spent.
                assertThat(ScenarioContext.await(tokens.refresh(client, set.refreshToken()).map(t -> "accepted").otherwise("refused")))
                        .isEqualTo("refused");
            }
            TokenSet backend = ScenarioContext.await(tokens.clientCredentials(target.backendClient(), target.backendSecret()));
            assertThat(accessToken(backend.accessToken(), JWSAlgorithm.RS256, keys).getSubject()).isEqualTo(target.backendClient());
            assertThat(ScenarioContext.await(tokens.clientCredentials(target.backendClient(), "not-the-secret").map(t -> "accepted")
                    .otherwise("refused"))).isEqualTo("refused");
        }
    }

    private static JWTClaimsSet accessToken(String token, JWSAlgorithm alg, JWKSource<SecurityContext> keys) throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        // RFC 9068's type, which node-oidc-provider sets on its JWT access tokens.
        processor.setJWSTypeVerifier(new com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier<>(new com.nimbusds.jose.JOSEObjectType("at+jwt")));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(alg, keys));
        return processor.process(token, null);
    }
}
