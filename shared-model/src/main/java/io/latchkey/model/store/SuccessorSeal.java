package io.latchkey.model.store;

import io.latchkey.model.token.OpaqueToken;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A rotated refresh token's successor, sealed so that only the holder of the rotated token can open it: the reuse
 * grace hands the successor back, yet Redis keeps no usable token (docs/architecture.md, "State").
 *
 * <p>AES-256-GCM with a random 96-bit IV (NIST SP 800-38D §8.2.2) under SHA-256 of a domain separator and the
 * rotated token. Redis names the rotated token by SHA-256 of the token alone, so the name does not give the key.
 * Form: {@code base64url(iv || ciphertext || tag)}, no spaces (the script stores it beside a key name).
 */
final class SuccessorSeal {

    private static final byte[] DOMAIN = "latchkey refresh grace".getBytes(StandardCharsets.UTF_8);
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private SuccessorSeal() {
    }

    static String seal(OpaqueToken rotated, OpaqueToken successor) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            byte[] sealed = cipher(Cipher.ENCRYPT_MODE, rotated, iv).doFinal(successor.value().getBytes(StandardCharsets.US_ASCII));
            return ENCODER.encodeToString(ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The successor, or empty when the seal is not one this token made for a token of its own family. */
    static Optional<OpaqueToken> open(OpaqueToken rotated, String sealed) {
        try {
            byte[] bytes = DECODER.decode(sealed);
            if (bytes.length <= IV_BYTES) {
                return Optional.empty();
            }
            byte[] plain = cipher(Cipher.DECRYPT_MODE, rotated, Arrays.copyOf(bytes, IV_BYTES))
                    .doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES);
            return OpaqueToken.parse(new String(plain, StandardCharsets.US_ASCII))
                    .filter(successor -> successor.family().equals(rotated.family()));
        } catch (AEADBadTagException | IllegalArgumentException e) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private static Cipher cipher(int mode, OpaqueToken rotated, byte[] iv) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key(rotated), "AES"), new GCMParameterSpec(TAG_BITS, iv));
        return cipher;
    }

    private static byte[] key(OpaqueToken rotated) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(DOMAIN);
            return sha256.digest(rotated.value().getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
