package io.latchkey.model.realm.keycloak;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns the password credential Keycloak exports into the PHC string {@code PasswordHasher} verifies, so the
 * stored hash keeps saying how it is checked and the user signs in with the old password.
 *
 * <p>Keycloak 26 writes, as JSON inside the credential's strings:
 * <pre>
 * secretData:     {"value":"&lt;Base64 hash&gt;","salt":"&lt;Base64 salt&gt;","additionalParameters":{}}
 * credentialData: {"hashIterations":210000,"algorithm":"pbkdf2-sha512","additionalParameters":{}}
 * credentialData: {"hashIterations":5,"algorithm":"argon2","additionalParameters":{"hashLength":["32"],
 *                  "memory":["7168"],"type":["id"],"version":["1.3"],"parallelism":["1"]}}
 * </pre>
 * PBKDF2's derived key length is not written: it is the length of the stored hash (32 bytes for
 * {@code pbkdf2-sha256}, 64 for {@code pbkdf2-sha512} in Keycloak 26), and the PHC string records it as
 * {@code l}. Argon2's type (id, i or d) and version (1.3 or 1.0) are server settings in Keycloak
 * ({@code spi-password-hashing--argon2--type}/{@code --version}) and are carried as written.
 */
final class KeycloakPasswords {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder PHC_BASE64 = Base64.getEncoder().withoutPadding();
    /** Shorter hashes are refused by the verifier, which would make the account impossible to sign in to. */
    private static final int MIN_HASH_BYTES = 16;
    private static final Set<String> ARGON2_PARAMETERS = Set.of("type", "version", "memory", "parallelism", "hashLength");

    private KeycloakPasswords() {
    }

    /** A password credential that cannot be carried over; the message says what and why. */
    static final class UnusableCredential extends IllegalArgumentException {
        UnusableCredential(String message) {
            super(message);
        }
    }

    /**
     * The PHC string for a Keycloak {@code password} credential.
     *
     * @throws UnusableCredential if the credential is malformed or uses an algorithm Latchkey cannot verify
     */
    static String toPhc(KeycloakRealm.Credential credential) {
        if (credential.secretData() == null || credential.credentialData() == null) {
            throw new UnusableCredential("the password credential has no secretData or credentialData; an export "
                    + "from Keycloak before version 12 is not supported: export it again with a current Keycloak");
        }
        JsonNode secret = parse("secretData", credential.secretData());
        JsonNode data = parse("credentialData", credential.credentialData());
        String algorithm = data.path("algorithm").asText("");
        byte[] hash = base64(secret, "value");
        byte[] salt = base64(secret, "salt");
        if (hash.length < MIN_HASH_BYTES) {
            throw new UnusableCredential("the stored " + algorithm + " hash is " + hash.length
                    + " bytes; Latchkey verifies hashes of at least " + MIN_HASH_BYTES + " bytes");
        }
        if (salt.length == 0) {
            throw new UnusableCredential("the password credential has an empty salt");
        }
        Map<String, String> secretParameters = parameters(secret);
        if (!secretParameters.isEmpty()) {
            throw new UnusableCredential("secretData.additionalParameters " + secretParameters.keySet()
                    + " are not understood; the hash cannot be checked without them");
        }
        JsonNode iterationsNode = data.path("hashIterations");
        if (!iterationsNode.canConvertToInt() || iterationsNode.asInt() < 1) {
            throw new UnusableCredential("credentialData.hashIterations is missing or not a positive number: '"
                    + iterationsNode.asText() + "'");
        }
        int iterations = iterationsNode.asInt();
        Map<String, String> parameters = parameters(data);
        return switch (algorithm) {
            case "pbkdf2-sha256", "pbkdf2-sha512", "pbkdf2" -> {
                if (!parameters.isEmpty()) {
                    throw new UnusableCredential(algorithm + " with additionalParameters " + parameters.keySet()
                            + " is not understood; the hash cannot be checked without them");
                }
                String name = algorithm.equals("pbkdf2") ? "pbkdf2-sha1" : algorithm;
                yield "$" + name + "$i=" + iterations + ",l=" + hash.length + "$" + PHC_BASE64.encodeToString(salt)
                        + "$" + PHC_BASE64.encodeToString(hash);
            }
            case "argon2" -> argon2(iterations, parameters, salt, hash);
            default -> throw new UnusableCredential("the password hash algorithm '" + algorithm
                    + "' is not one Latchkey verifies; expected pbkdf2-sha256, pbkdf2-sha512, pbkdf2 or argon2");
        };
    }

    private static String argon2(int iterations, Map<String, String> parameters, byte[] salt, byte[] hash) {
        Set<String> unknown = new TreeSet<>(parameters.keySet());
        unknown.removeAll(ARGON2_PARAMETERS);
        if (!unknown.isEmpty()) {
            throw new UnusableCredential("argon2 with additionalParameters " + unknown
                    + " is not understood; the hash cannot be checked without them");
        }
        String type = required(parameters, "type");
        if (!Set.of("id", "i", "d").contains(type)) {
            throw new UnusableCredential("argon2 type '" + type + "' is not one of id, i, d");
        }
        String version = switch (required(parameters, "version")) {
            case "1.3" -> "19";
            case "1.0" -> "16";
            default -> throw new UnusableCredential("argon2 version '" + parameters.get("version")
                    + "' is not 1.3 or 1.0");
        };
        int memory = positive(parameters, "memory");
        int parallelism = positive(parameters, "parallelism");
        int hashLength = positive(parameters, "hashLength");
        if (hashLength != hash.length) {
            throw new UnusableCredential("argon2 hashLength says " + hashLength + " bytes but the stored hash is "
                    + hash.length + " bytes");
        }
        return "$argon2" + type + "$v=" + version + "$m=" + memory + ",t=" + iterations + ",p=" + parallelism
                + "$" + PHC_BASE64.encodeToString(salt) + "$" + PHC_BASE64.encodeToString(hash);
    }

    private static JsonNode parse(String field, String json) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.isObject()) {
                throw new UnusableCredential("the password credential's " + field + " is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new UnusableCredential("the password credential's " + field + " is not valid JSON: "
                    + e.getOriginalMessage());
        }
    }

    private static byte[] base64(JsonNode secret, String field) {
        JsonNode value = secret.get(field);
        if (value == null || !value.isTextual()) {
            throw new UnusableCredential("secretData." + field + " is missing");
        }
        try {
            return Base64.getDecoder().decode(value.asText());
        } catch (IllegalArgumentException e) {
            throw new UnusableCredential("secretData." + field + " is not Base64: " + e.getMessage());
        }
    }

    /** Keycloak writes each additional parameter as a list holding one string. */
    private static Map<String, String> parameters(JsonNode node) {
        Map<String, String> parameters = new LinkedHashMap<>();
        JsonNode additional = node.path("additionalParameters");
        for (Iterator<Map.Entry<String, JsonNode>> it = additional.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode value = entry.getValue();
            if (value.isArray() && value.size() == 1 && value.get(0).isValueNode()) {
                parameters.put(entry.getKey(), value.get(0).asText());
            } else if (value.isValueNode()) {
                parameters.put(entry.getKey(), value.asText());
            } else {
                throw new UnusableCredential("additionalParameters." + entry.getKey() + " is not a single value: "
                        + value);
            }
        }
        return parameters;
    }

    private static String required(Map<String, String> parameters, String name) {
        String value = parameters.get(name);
        if (value == null) {
            throw new UnusableCredential("argon2 credentialData.additionalParameters has no '" + name + "'");
        }
        return value;
    }

    private static int positive(Map<String, String> parameters, String name) {
        String value = required(parameters, name);
        try {
            int number = Integer.parseInt(value);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UnusableCredential("argon2 " + name + " is not a positive number: '" + value + "'");
    }
}
