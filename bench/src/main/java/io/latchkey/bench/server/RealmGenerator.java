package io.latchkey.bench.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A directory of many users for the import and the logins at that size, written as a stream (a million
 * users take about 0.4 GB as a realm file, 0.6 GB as a Keycloak export). User {@code i} is
 * {@code bench-user-i} with the id, claims and password of the benchmark realm's users (the first 64 are
 * exactly those of bench/realm/latchkey-bench-realm.yaml), so the benchmark's clients and login scenario
 * work on it unchanged. The password hash is given, one precomputed Argon2id hash of {@code bench-password}
 * (m=19456, t=2, p=1) for all: the import hashes nothing.
 */
public final class RealmGenerator {

    /** The hash every user of bench/realm/latchkey-bench-realm.yaml has: Argon2id of bench-password. */
    public static final String PASSWORD_HASH =
            "$argon2id$v=19$m=19456,t=2,p=1$ponbcs6lKblE/l1wFHH+eg$gipxXob09e9UMZkayQ3iH+RmevpTOsEhAyeBkxBb6EY";
    /** The same hash as Keycloak stores it: standard Base64 of salt and hash, parameters beside them. */
    private static final String KEYCLOAK_SECRET =
            "{\"value\":\"gipxXob09e9UMZkayQ3iH+RmevpTOsEhAyeBkxBb6EY=\",\"salt\":\"ponbcs6lKblE/l1wFHH+eg==\",\"additionalParameters\":{}}";
    private static final String KEYCLOAK_CREDENTIAL = "{\"hashIterations\":2,\"algorithm\":\"argon2\",\"additionalParameters\":"
            + "{\"hashLength\":[\"32\"],\"memory\":[\"19456\"],\"type\":[\"id\"],\"version\":[\"1.3\"],\"parallelism\":[\"1\"]}}";

    private static final JsonFactory JSON = new JsonFactory();

    private RealmGenerator() {
    }

    static String id(long i) {
        return String.format("6e6c0000-0000-4000-8000-%012d", i);
    }

    /** A Latchkey realm file (RealmFile as JSON): {"clients":[],"users":[{id, username, passwordHash, enabled, claims}]}. */
    public static void latchkeyRealm(Path file, long users) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
                JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeArrayFieldStart("clients");
            json.writeEndArray();
            json.writeArrayFieldStart("users");
            for (long i = 0; i < users; i++) {
                json.writeRaw('\n');
                json.writeStartObject();
                json.writeStringField("id", id(i));
                json.writeStringField("username", "bench-user-" + i);
                json.writeStringField("passwordHash", PASSWORD_HASH);
                json.writeBooleanField("enabled", true);
                json.writeObjectFieldStart("claims");
                json.writeStringField("name", "Bench User " + i);
                json.writeStringField("given_name", "Bench");
                json.writeStringField("family_name", "User " + i);
                json.writeStringField("email", "bench-user-" + i + "@bench.example");
                json.writeBooleanField("email_verified", true);
                json.writeEndObject();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    /**
     * The same users as Keycloak 26 exports them ({@code kc.sh export}): a realm named {@code bench} with
     * users whose password credential is Keycloak's argon2 with the same salt and hash.
     */
    public static void keycloakExport(Path file, long users) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
                JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("realm", "bench");
            json.writeBooleanField("enabled", true);
            json.writeArrayFieldStart("users");
            for (long i = 0; i < users; i++) {
                json.writeRaw('\n');
                json.writeStartObject();
                json.writeStringField("id", id(i));
                json.writeStringField("username", "bench-user-" + i);
                json.writeStringField("firstName", "Bench");
                json.writeStringField("lastName", "User " + i);
                json.writeStringField("email", "bench-user-" + i + "@bench.example");
                json.writeBooleanField("emailVerified", true);
                json.writeBooleanField("enabled", true);
                json.writeArrayFieldStart("credentials");
                json.writeStartObject();
                json.writeStringField("type", "password");
                json.writeStringField("secretData", KEYCLOAK_SECRET);
                json.writeStringField("credentialData", KEYCLOAK_CREDENTIAL);
                json.writeEndObject();
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }
}
