package io.latchkey.authorize.otp;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts TOTP secrets for storage: unlike a password, the verifier needs the secret itself (RFC 6238 §5.1
 * "keys SHOULD be ... stored securely"), so a copy of the database alone must not yield it.
 *
 * <p>AES-256-GCM with a random 96-bit IV (NIST SP 800-38D §8.2.2) and the user id as associated data: a ciphertext
 * copied into another user's row does not decrypt there. Stored form: {@code v1.<keyId>.<base64url(iv||ciphertext)>},
 * where keyId is the first 8 hex characters of SHA-256 of the key, so that after a rotation the old key (in
 * {@code latchkey.totp.previous-encryption-keys}) is found for the secrets it encrypted.
 */
@Startup
@ApplicationScoped
public class TotpSecrets {

    private static final String VERSION = "v1";
    private static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Key(String id, SecretKey key) {
    }

    private final Key current;
    /** The current key first, then the previous ones. */
    private final List<Key> decrypting;

    public TotpSecrets(TotpConfig config) {
        this.current = config.encryptionKey().map(value -> key(value, "latchkey.totp.encryption-key")).orElse(null);
        List<Key> keys = new ArrayList<>();
        if (current != null) {
            keys.add(current);
        }
        config.previousEncryptionKeys().orElse(List.of())
                .forEach(value -> keys.add(key(value, "latchkey.totp.previous-encryption-keys")));
        this.decrypting = List.copyOf(keys);
    }

    /** Whether a key is configured, so TOTP can be enrolled and checked. */
    public boolean available() {
        return current != null;
    }

    public String encrypt(String userId, byte[] secret) {
        if (current == null) {
            throw new IllegalStateException("TOTP needs latchkey.totp.encryption-key (base64 of 32 bytes); none is configured");
        }
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, current.key(), iv, userId);
            byte[] sealed = cipher.doFinal(secret);
            byte[] out = ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
            return VERSION + "." + current.id() + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * The secret a stored value holds for this user.
     *
     * @throws IllegalStateException when the form is unknown, no configured key has its key id, or it does not
     *                               decrypt for this user (altered, copied from another user's row, or a different key)
     */
    public byte[] decrypt(String userId, String stored) {
        String[] parts = stored == null ? new String[0] : stored.split("\\.", -1);
        if (parts.length != 3 || !VERSION.equals(parts[0])) {
            throw new IllegalStateException("Stored TOTP secret of user " + userId + " is not in the form v1.<keyId>.<data>");
        }
        byte[] data;
        try {
            data = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Stored TOTP secret of user " + userId + " is not base64url", e);
        }
        if (data.length <= IV_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException("Stored TOTP secret of user " + userId + " is too short");
        }
        boolean keyFound = false;
        for (Key key : decrypting) {
            if (!key.id().equals(parts[1])) {
                continue;
            }
            keyFound = true;
            try {
                Cipher cipher = cipher(Cipher.DECRYPT_MODE, key.key(), java.util.Arrays.copyOf(data, IV_BYTES), userId);
                return cipher.doFinal(data, IV_BYTES, data.length - IV_BYTES);
            } catch (AEADBadTagException e) {
                // Another key with the same id (a 2^-32 chance) may still be the one.
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM is not available", e);
            }
        }
        throw new IllegalStateException(keyFound
                ? "Stored TOTP secret of user " + userId + " does not decrypt for this user: altered, moved from another user, or encrypted with another key"
                : "No configured TOTP encryption key (latchkey.totp.encryption-key or previous-encryption-keys) has id " + parts[1]
                        + ", which encrypted the secret of user " + userId);
    }

    private static Cipher cipher(int mode, SecretKey key, byte[] iv, String userId) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(userId.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    /** Parses one configured key; the message names the setting, never the value. */
    private static Key key(String base64, String setting) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(setting + " must be base64 of 32 random bytes (AES-256); it is not base64");
        }
        if (bytes.length != KEY_BYTES) {
            throw new IllegalStateException(setting + " must be base64 of exactly 32 random bytes (AES-256); it decodes to "
                    + bytes.length + " bytes");
        }
        return new Key(keyId(bytes), new SecretKeySpec(bytes, "AES"));
    }

    static String keyId(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key)).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
