package io.latchkey.model.password;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password and client-secret hashing.
 *
 * <p>New hashes are Argon2id with OWASP's first recommended configuration (19 MiB, 2 iterations,
 * parallelism 1) in the PHC string format, so every stored hash says how to check it. Verification also
 * accepts the other Argon2 types and version 1.0 ({@code $argon2i$}, {@code $argon2d$}, {@code v=16}: Keycloak
 * can be configured to write them), PBKDF2 with SHA-1, SHA-256 or SHA-512 (PHC
 * {@code $pbkdf2-sha512$i=210000,l=64$...}, the derived key as long as the stored hash, and passlib
 * {@code $pbkdf2-sha256$29000$...}) and bcrypt ({@code $2a$}, {@code $2b$}, {@code $2y$}), so users can be
 * migrated in and upgraded on their next login ({@link #needsRehash}).
 *
 * <p>These calls cost tens of milliseconds of CPU by design: never call them on an event-loop thread.
 */
@ApplicationScoped
public class PasswordHasher {

    static final int MEMORY_KIB = 19 * 1024;
    static final int ITERATIONS = 2;
    static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    /**
     * Checked when the user does not exist, so that an unknown name costs what a wrong password costs: a hash
     * with today's parameters of a password nobody is asked for. A constant, not hashed at start-up, where an
     * Argon2id call on a cold JVM took a fifth of token-service's start (PasswordHasherTest checks that it
     * still follows the parameters above).
     */
    static final String DECOY = "$argon2id$v=19$m=19456,t=2,p=1$H865KweQggcMKQChcZSGVA$taRV5GksnJ2wJHo6qKOWGxu9rSOi9JDxyXJZccz82K8";

    public String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] out = argon2(Argon2Parameters.ARGON2_id, Argon2Parameters.ARGON2_VERSION_13, password, salt,
                MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
    }

    /**
     * Checks a password against a stored hash; a malformed or unsupported hash never matches.
     */
    public boolean verify(char[] password, String storedHash) {
        if (storedHash == null || password == null) {
            return false;
        }
        try {
            if (storedHash.startsWith("$argon2")) {
                return verifyArgon2(password, storedHash);
            }
            if (storedHash.startsWith("$pbkdf2-")) {
                return verifyPbkdf2(password, storedHash);
            }
            if (storedHash.startsWith("$2a$") || storedHash.startsWith("$2b$") || storedHash.startsWith("$2y$")) {
                return OpenBSDBCrypt.checkPassword(storedHash, password);
            }
        } catch (RuntimeException e) {
            return false;
        }
        return false;
    }

    /**
     * Spends the time of a real check without any user, so that login answers take the same time whether
     * or not the username exists.
     */
    public boolean verifyAgainstNobody(char[] password) {
        verify(password, DECOY);
        return false;
    }

    /**
     * True for any hash that is not Argon2id, version 1.3, with the current memory, iterations, parallelism
     * and hash length: every imported PBKDF2, bcrypt, Argon2i/Argon2d or weaker Argon2id hash.
     */
    public boolean needsRehash(String storedHash) {
        if (storedHash == null || !storedHash.startsWith(
                "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$")) {
            return true;
        }
        String[] parts = storedHash.split("\\$");
        try {
            return parts.length != 6 || B64_DECODER.decode(parts[4]).length < SALT_BYTES
                    || B64_DECODER.decode(parts[5]).length != HASH_BYTES;
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    /** Whether a string is a hash this class can check (as opposed to a plain-text password). */
    public static boolean isHash(String value) {
        return value != null && (value.startsWith("$argon2id$") || value.startsWith("$argon2i$")
                || value.startsWith("$argon2d$") || value.startsWith("$pbkdf2-")
                || value.startsWith("$2a$") || value.startsWith("$2b$") || value.startsWith("$2y$"));
    }

    // $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>, also $argon2i$ and $argon2d$, and v=16 (Argon2 1.0)
    private static boolean verifyArgon2(char[] password, String stored) {
        String[] parts = stored.split("\\$");
        if (parts.length != 6) {
            return false;
        }
        int type = switch (parts[1]) {
            case "argon2id" -> Argon2Parameters.ARGON2_id;
            case "argon2i" -> Argon2Parameters.ARGON2_i;
            case "argon2d" -> Argon2Parameters.ARGON2_d;
            default -> -1;
        };
        int version = switch (parts[2]) {
            case "v=19" -> Argon2Parameters.ARGON2_VERSION_13;
            case "v=16" -> Argon2Parameters.ARGON2_VERSION_10;
            default -> -1;
        };
        if (type < 0 || version < 0) {
            return false;
        }
        Map<String, Integer> params = parameters(parts[3]);
        byte[] salt = B64_DECODER.decode(parts[4]);
        byte[] expected = B64_DECODER.decode(parts[5]);
        Integer m = params.get("m");
        Integer t = params.get("t");
        Integer p = params.get("p");
        if (m == null || t == null || p == null || t < 1 || p < 1 || m < 8 * p || expected.length < 16) {
            return false;
        }
        byte[] actual = argon2(type, version, password, salt, m, t, p, expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    // PHC: $pbkdf2-sha256$i=600000,l=32$<salt>$<hash>   passlib: $pbkdf2-sha256$29000$<ab64 salt>$<ab64 hash>
    // The derived key is as long as the stored hash (Keycloak: 32 bytes for SHA-256, 64 for SHA-512); l, when
    // given, must say the same.
    private static boolean verifyPbkdf2(char[] password, String stored) {
        String[] parts = stored.split("\\$");
        if (parts.length != 5) {
            return false;
        }
        String prf = switch (parts[1]) {
            case "pbkdf2-sha256" -> "PBKDF2WithHmacSHA256";
            case "pbkdf2-sha512" -> "PBKDF2WithHmacSHA512";
            case "pbkdf2-sha1", "pbkdf2" -> "PBKDF2WithHmacSHA1";
            default -> null;
        };
        if (prf == null) {
            return false;
        }
        int iterations;
        Integer length = null;
        if (parts[2].startsWith("i=")) {
            Map<String, Integer> params = parameters(parts[2]);
            iterations = params.getOrDefault("i", 0);
            length = params.get("l");
        } else {
            iterations = Integer.parseInt(parts[2]);
        }
        byte[] salt = adaptedBase64(parts[3]);
        byte[] expected = adaptedBase64(parts[4]);
        if (iterations < 1 || expected.length < 16 || (length != null && length != expected.length)) {
            return false;
        }
        try {
            var spec = new PBEKeySpec(password, salt, iterations, expected.length * 8);
            byte[] actual = SecretKeyFactory.getInstance(prf).generateSecret(spec).getEncoded();
            return MessageDigest.isEqual(expected, actual);
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            return false;
        }
    }

    /** passlib writes '.' for '+'; PHC uses standard Base64; both without padding. */
    private static byte[] adaptedBase64(String text) {
        return B64_DECODER.decode(text.replace('.', '+'));
    }

    private static Map<String, Integer> parameters(String text) {
        Map<String, Integer> params = new HashMap<>();
        for (String pair : text.split(",")) {
            String[] kv = pair.split("=", 2);
            if (kv.length == 2) {
                params.put(kv[0], Integer.parseInt(kv[1]));
            }
        }
        return params;
    }

    private static byte[] argon2(int type, int version, char[] password, byte[] salt, int memoryKib, int iterations,
            int parallelism, int length) {
        var builder = new Argon2Parameters.Builder(type)
                .withVersion(version)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt);
        // On a password thread the 19 MiB of blocks are that thread's, cleared and kept between calls, instead
        // of 19 MiB of new garbage per login that grows the heap under load.
        if (Thread.currentThread() instanceof PasswordWorkers.PasswordThread thread) {
            builder.withBlockPool(thread.argon2Blocks());
        }
        var params = builder.build();
        var generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[length];
        generator.generateBytes(toUtf8(password), out);
        return out;
    }

    private static byte[] toUtf8(char[] password) {
        var buffer = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password));
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
