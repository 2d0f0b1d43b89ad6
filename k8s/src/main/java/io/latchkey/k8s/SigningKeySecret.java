package io.latchkey.k8s;

import io.latchkey.model.keys.SigningKeys;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.lang.JoseException;

/**
 * Makes and rotates the JWK set behind {@code latchkey.keys.file}, the Secret {@code latchkey-signing-keys}.
 * The services sign with the first key of each algorithm and publish every key at /jwks, so:
 * <ul>
 * <li>{@code generate}: a new set, one key per algorithm (RS256, ES256, EdDSA), each with its creation time
 * ({@code lk_created}, which token-service reports as {@code latchkey_signing_key_age_seconds} and never publishes);</li>
 * <li>{@code stage}: reads the current set on standard input and adds a new key of each algorithm behind
 * the old ones: published at /jwks, not yet signing, so every verifier can learn it first;</li>
 * <li>{@code promote}: moves the newest key of each algorithm to the front, so it signs; the old ones stay
 * published so that tokens they signed still verify;</li>
 * <li>{@code rotate}: {@code stage} and {@code promote} at once, for verifiers that refetch /jwks when they
 * meet an unknown kid;</li>
 * <li>{@code retire}: reads the current set and keeps only the first (signing) key of each algorithm, once
 * the longest-lived token the old keys signed has expired.</li>
 * </ul>
 * It writes the JWK set, or with {@code --secret} a Secret manifest for {@code kubectl apply -f}, to standard
 * output or with {@code --out FILE} to a new file only its owner can read (Maven's console adds a colour
 * reset to what {@code exec:java} prints, which kubectl refuses, hence the file). Nothing is logged.
 */
public final class SigningKeySecret {

    static final String SECRET_NAME = "latchkey-signing-keys";
    static final String SECRET_KEY = "jwks.json";
    static final String NAMESPACE = "latchkey";

    private SigningKeySecret() {
    }

    public static void main(String[] args) throws IOException {
        List<String> arguments = List.of(args);
        try {
            String result = run(arguments, () -> new String(System.in.readAllBytes(), StandardCharsets.UTF_8));
            int out = arguments.indexOf("--out");
            if (out >= 0) {
                write(Path.of(value(arguments, out)), result);
            } else {
                PrintStream stdout = System.out;
                stdout.print(result);
                stdout.flush();
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: SigningKeySecret generate|stage|promote|rotate|retire [--secret] [--namespace NAME] [--out FILE]"
                    + "  (all but generate read the current JWK set on standard input)");
            System.exit(2);
        }
    }

    /** A new file, readable and writable by its owner only: it holds private keys. */
    static void write(Path file, String content) throws IOException {
        Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(ownerOnly));
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException(file + " exists; not overwriting it");
        }
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static String value(List<String> args, int option) {
        if (option + 1 >= args.size()) {
            throw new IllegalArgumentException(args.get(option) + " needs a value");
        }
        return args.get(option + 1);
    }

    interface Input {
        String read() throws IOException;
    }

    static String run(List<String> args, Input stdin) throws IOException {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("name a command");
        }
        boolean secret = args.contains("--secret");
        int ns = args.indexOf("--namespace");
        String namespace = ns >= 0 ? value(args, ns) : NAMESPACE;
        String jwks = switch (args.get(0)) {
            case "generate" -> SigningKeys.generate();
            case "stage" -> stage(stdin.read());
            case "promote" -> promote(stdin.read());
            case "rotate" -> promote(stage(stdin.read()));
            case "retire" -> retire(stdin.read());
            default -> throw new IllegalArgumentException("unknown command " + args.get(0));
        };
        return secret ? secretManifest(jwks, namespace) : jwks + "\n";
    }

    /** The current keys, then a new key of each algorithm: published, not yet signing. */
    static String stage(String current) {
        List<JsonWebKey> keys = new ArrayList<>(parse(current));
        keys.addAll(parse(SigningKeys.generate()));
        return toJson(keys);
    }

    /** The newest (last) key of each algorithm first, so it signs; every other key after it, in order. */
    static String promote(String current) {
        List<JsonWebKey> keys = parse(current);
        Map<String, JsonWebKey> newest = new LinkedHashMap<>();
        keys.forEach(k -> newest.put(k.getAlgorithm(), k));
        List<JsonWebKey> promoted = new ArrayList<>(newest.values());
        keys.stream().filter(k -> !promoted.contains(k)).forEach(promoted::add);
        return toJson(promoted);
    }

    /** Only the first key of each algorithm: the ones that sign. */
    static String retire(String current) {
        Set<String> seen = new HashSet<>();
        List<JsonWebKey> keep = parse(current).stream().filter(k -> seen.add(k.getAlgorithm())).toList();
        return toJson(keep);
    }

    static String secretManifest(String jwks, String namespace) {
        String data = Base64.getEncoder().encodeToString(jwks.getBytes(StandardCharsets.UTF_8));
        return """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: %s
                  namespace: %s
                  labels:
                    app.kubernetes.io/part-of: latchkey
                type: Opaque
                data:
                  %s: %s
                """.formatted(SECRET_NAME, namespace, SECRET_KEY, data);
    }

    private static List<JsonWebKey> parse(String json) {
        try {
            List<JsonWebKey> keys = new JsonWebKeySet(json).getJsonWebKeys();
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("the JWK set on standard input has no keys");
            }
            return keys;
        } catch (JoseException e) {
            throw new IllegalArgumentException("standard input is not a JWK set: " + e.getMessage(), e);
        }
    }

    private static String toJson(List<JsonWebKey> keys) {
        return new JsonWebKeySet(keys).toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE);
    }
}
