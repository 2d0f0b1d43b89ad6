package io.latchkey.bench.scenario;

import io.latchkey.token.crypto.CryptoProvider;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.OkpJwkGenerator;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * Scenario 6, the physical floor: how much CPU one JWS signature costs in this JVM, with the same
 * security providers token-service installs, on one thread. A code exchange signs two tokens, so twice
 * this is the least CPU an exchange can take.
 */
public final class SignatureFloor {

    /** CPU microseconds per signature and signatures per second of one core, for one algorithm. */
    public record Cost(String algorithm, String provider, double cpuMicrosPerSignature, double signaturesPerSecond) {
    }

    /** A token of the size and shape of an access token. */
    private static final String PAYLOAD = "{\"iss\":\"http://localhost:8080\",\"sub\":\"8d1f6c1e-0b9a-4c55-9a5e-2f1b8f0c3a11\","
            + "\"aud\":\"http://localhost:8081\",\"client_id\":\"bench-spa\",\"scope\":\"openid\",\"iat\":1764100000,"
            + "\"exp\":1764100300,\"jti\":\"Yh2oJt1mSxqB6RrQ3hXk9w\",\"auth_time\":1764100000,\"fam\":\"k3Jd8sLq0PzT5vWn2xYb7A\"}";

    private SignatureFloor() {
    }

    /** Measures with the providers token-service would choose in {@code mode} (its token-service.crypto-provider). */
    public static Map<String, Cost> measure(Duration perAlgorithm, CryptoProvider.Mode mode) {
        CryptoProvider.install(mode);
        Map<String, Cost> costs = new LinkedHashMap<>();
        try {
            costs.put("RS256", measure(AlgorithmIdentifiers.RSA_USING_SHA256, RsaJwkGenerator.generateJwk(2048), perAlgorithm));
            costs.put("ES256", measure(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, EcJwkGenerator.generateJwk(EllipticCurves.P256), perAlgorithm));
            costs.put("EdDSA", measure(AlgorithmIdentifiers.EDDSA, OkpJwkGenerator.generateJwk("Ed25519"), perAlgorithm));
        } catch (JoseException e) {
            throw new IllegalStateException("cannot make a signing key: " + e.getMessage(), e);
        }
        return costs;
    }

    private static Cost measure(String alg, PublicJsonWebKey key, Duration time) throws JoseException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // Warm the JIT first, then count on this thread's CPU clock, which other processes do not move.
        signFor(alg, key, time.dividedBy(3).toNanos());
        long cpuBefore = threads.getCurrentThreadCpuTime();
        long count = signFor(alg, key, time.toNanos());
        double cpuMicros = (threads.getCurrentThreadCpuTime() - cpuBefore) / 1000.0 / count;
        return new Cost(alg, providerOf(alg), cpuMicros, 1e6 / cpuMicros);
    }

    private static long signFor(String alg, PublicJsonWebKey key, long nanos) throws JoseException {
        long end = System.nanoTime() + nanos;
        long count = 0;
        while (System.nanoTime() < end) {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(PAYLOAD);
            jws.setAlgorithmHeaderValue(alg);
            jws.setKeyIdHeaderValue("bench");
            jws.setHeader("typ", "at+jwt");
            jws.setKey(key.getPrivateKey());
            if (jws.getCompactSerialization().isEmpty()) {
                throw new IllegalStateException("empty signature");
            }
            count++;
        }
        return count;
    }

    private static String providerOf(String alg) {
        try {
            return java.security.Signature.getInstance(javaName(alg)).getProvider().getName();
        } catch (java.security.NoSuchAlgorithmException e) {
            return "none";
        }
    }

    private static String javaName(String alg) {
        return switch (alg) {
            case "RS256" -> "SHA256withRSA";
            case "ES256" -> "SHA256withECDSA";
            default -> "Ed25519";
        };
    }
}
