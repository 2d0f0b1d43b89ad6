package io.latchkey.bench.oidc;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * A virtual user's DPoP key (RFC 9449), as a browser app holds one: a P-256 key pair, the proofs it signs (ES256,
 * with the JDK's own provider), and the last nonce the server gave (§8), which every later proof carries until the
 * server asks for another. One per virtual user, used from the load generator's one event loop only.
 */
public final class DpopKey {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair pair;
    /** The protected header, the same for every proof: typ, alg and the public key (§4.2). */
    private final String header;
    private final String thumbprint;
    private String nonce;

    private DpopKey(KeyPair pair) {
        this.pair = pair;
        ECPublicKey pub = (ECPublicKey) pair.getPublic();
        String x = B64.encodeToString(coordinate(pub.getW().getAffineX()));
        String y = B64.encodeToString(coordinate(pub.getW().getAffineY()));
        // RFC 7638 §3.2: the required members only, in lexicographic order, no whitespace.
        String jwk = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + x + "\",\"y\":\"" + y + "\"}";
        this.header = B64.encodeToString(("{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":" + jwk + "}")
                .getBytes(StandardCharsets.UTF_8));
        this.thumbprint = B64.encodeToString(sha256(jwk));
    }

    public static DpopKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return new DpopKey(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no P-256 key pair generator: " + e.getMessage(), e);
        }
    }

    /** The key's RFC 7638 thumbprint: what {@code dpop_jkt} at /authorize and the token's {@code cnf.jkt} name. */
    public String thumbprint() {
        return thumbprint;
    }

    /** Keeps the server's latest nonce (a {@code DPoP-Nonce} header of any answer, §8.2); null is ignored. */
    public void nonce(String fromServer) {
        if (fromServer != null && !fromServer.isEmpty()) {
            nonce = fromServer;
        }
    }

    /**
     * A fresh proof for one request (§4.2): a random {@code jti}, the method and URL without query or fragment, now as
     * {@code iat}, the current nonce if any, and {@code ath} when an access token goes with it (§4.3, §7.1).
     */
    public String proof(String method, String url, String accessToken) {
        StringBuilder payload = new StringBuilder(200)
                .append("{\"jti\":\"").append(B64.encodeToString(randomBytes(16)))
                .append("\",\"htm\":\"").append(method)
                .append("\",\"htu\":\"").append(json(url))
                .append("\",\"iat\":").append(System.currentTimeMillis() / 1000);
        if (nonce != null) {
            payload.append(",\"nonce\":\"").append(json(nonce)).append('"');
        }
        if (accessToken != null) {
            payload.append(",\"ath\":\"").append(B64.encodeToString(sha256(accessToken))).append('"');
        }
        String signingInput = header + "." + B64.encodeToString(payload.append('}').toString().getBytes(StandardCharsets.UTF_8));
        try {
            // RFC 7518 §3.4: ES256 is R || S, 32 bytes each, which the P1363 format gives directly.
            Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
            signature.initSign(pair.getPrivate());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not sign a DPoP proof: " + e.getMessage(), e);
        }
    }

    /** An affine coordinate as the JWK's fixed 32 bytes (RFC 7518 §6.2.1.2): no sign byte, left-padded. */
    static byte[] coordinate(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length == 32) {
            return bytes;
        }
        byte[] fixed = new byte[32];
        int copy = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - copy, fixed, 32 - copy, copy);
        return fixed;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** URLs and nonces are printable ASCII; a quote or backslash is escaped so the payload stays JSON. */
    private static String json(String s) {
        return s.indexOf('"') < 0 && s.indexOf('\\') < 0 ? s : s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public String toString() {
        return "DpopKey[" + thumbprint + "]";
    }
}
