package io.latchkey.token.issue;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.model.token.AccessTokenRules;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Test;

/**
 * Signing is the floor of a token response's cost. This measures one access-token signature per
 * algorithm with the keys of the test key file and logs it (the number the design asks to report);
 * the assertions only check that what was signed verifies.
 */
class SigningCostTest {

    private static final Logger LOG = Logger.getLogger(SigningCostTest.class);
    private static final int WARM_UP = 300;
    private static final int MEASURED = 1000;
    /** CPU time of this thread, not wall time: the number stays meaningful on a busy build machine. */
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    @Test
    void signingWithEachAlgorithmThenTokensVerifyAndCostIsLogged() throws Exception {
        JsonWebKeySet keys = new JsonWebKeySet(Files.readString(Path.of("src/test/resources/test-keys.json")));
        for (String kid : new String[] {"test-rs256-new", "test-es256", "test-eddsa"}) {
            PublicJsonWebKey key = (PublicJsonWebKey) keys.findJsonWebKey(kid, null, null, null);
            Map<String, Object> claims = new LinkedHashMap<>();
            claims.put("iss", "http://localhost:8080");
            claims.put("sub", "0d6b8f5e-alice");
            claims.put("aud", "http://localhost:8080");
            claims.put("client_id", "spa");
            claims.put("scope", "openid profile email");
            claims.put("iat", 1_800_000_000L);
            claims.put("exp", 1_800_000_777L);
            claims.put("jti", "j");
            String token = null;
            for (int i = 0; i < WARM_UP; i++) {
                token = TokenIssuer.sign(claims, key, AccessTokenRules.TYPE);
            }
            long start = CPU.getCurrentThreadCpuTime();
            for (int i = 0; i < MEASURED; i++) {
                token = TokenIssuer.sign(claims, key, AccessTokenRules.TYPE);
            }
            double micros = (CPU.getCurrentThreadCpuTime() - start) / 1000.0 / MEASURED;
            // The same signature by jose4j directly: what the SmallRye builder adds on top of the cryptography.
            String payload = new org.jose4j.jwt.JwtClaims().toJson();
            long rawStart = CPU.getCurrentThreadCpuTime();
            for (int i = 0; i < MEASURED; i++) {
                JsonWebSignature raw = new JsonWebSignature();
                raw.setPayload(payload);
                raw.setKey(key.getPrivateKey());
                raw.setAlgorithmHeaderValue(key.getAlgorithm());
                raw.getCompactSerialization();
            }
            double rawMicros = (CPU.getCurrentThreadCpuTime() - rawStart) / 1000.0 / MEASURED;
            LOG.infof("signing cost %s: %.0f us CPU per token through SmallRye JWT, %.0f us for the bare jose4j signature (%d tokens)",
                    key.getAlgorithm(), micros, rawMicros, MEASURED);

            JsonWebSignature jws = new JsonWebSignature();
            jws.setCompactSerialization(token);
            jws.setKey(key.getPublicKey());
            assertThat(jws.verifySignature()).isTrue();
            assertThat(jws.getAlgorithmHeaderValue()).isEqualTo(key.getAlgorithm());
            assertThat(jws.getHeader("typ")).isEqualTo("at+jwt");
            // The builder keeps the times it is given instead of its own defaults.
            var signed = org.jose4j.jwt.JwtClaims.parse(jws.getPayload());
            assertThat(signed.getIssuedAt().getValue()).isEqualTo(1_800_000_000L);
            assertThat(signed.getExpirationTime().getValue()).isEqualTo(1_800_000_777L);
        }
    }
}
