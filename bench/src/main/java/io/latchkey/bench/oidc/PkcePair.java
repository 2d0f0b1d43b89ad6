package io.latchkey.bench.oidc;

import io.latchkey.model.pkce.Pkce;
import java.security.SecureRandom;
import java.util.Base64;

/** A fresh code_verifier and its S256 code_challenge (RFC 7636 §4.1, §4.2). */
public record PkcePair(String verifier, String challenge) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public static PkcePair create() {
        String verifier = random(32);
        return new PkcePair(verifier, Pkce.s256(verifier));
    }

    static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
