package io.latchkey.model.realm.keycloak;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.latchkey.model.realm.RealmException;
import io.latchkey.model.realm.RealmFile;
import io.latchkey.model.realm.RealmSource;
import io.latchkey.model.realm.RealmValidator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a realm exported by Keycloak ({@code kc.sh export --realm NAME --file FILE}, checked against
 * Keycloak 26.5) and returns the clients and users it declares as a Latchkey {@link RealmFile}.
 *
 * <p>Users keep their id (so {@code sub} stays what Keycloak issued), their username, enabled flag and
 * password: Keycloak's pbkdf2, pbkdf2-sha256, pbkdf2-sha512 and argon2 (id, i, d) hashes become PHC strings
 * that {@code PasswordHasher} verifies, and are upgraded to Argon2id at the next sign-in. First and last
 * name, email and emailVerified become {@code given_name}, {@code family_name}, {@code name}, {@code email}
 * and {@code email_verified}; each attribute becomes a claim of its name (one value: a string; several: a
 * list). Clients keep their id, name, type, secret, redirect URIs, web origins ({@code +}: the origins of
 * the redirect URIs) and post-logout redirect URIs; the standard flow becomes {@code authorization_code}
 * (with {@code refresh_token} unless refresh tokens are off), service accounts {@code client_credentials};
 * a client without Keycloak's consent screen is first-party.
 *
 * <p>Nothing is dropped silently. What would change how a user signs in or what a client may do is an
 * error naming the record (a wildcard redirect URI, {@code plain} PKCE, signed-JWT client authentication,
 * a masked secret, a hash Latchkey cannot verify); what cannot be carried over but leaves the rest sound is
 * a warning (second factors, links to identity providers, roles and groups, required actions, unsupported
 * grants, disabled clients); and what Latchkey has no use for is listed as skipped (Keycloak's built-in
 * clients, service-account users, realm settings). The importer logs both lists.
 */
public final class KeycloakExport {

    /** A record of the converted file in an error's path or message, to be named as the export's record. */
    private static final Pattern RECORD = Pattern.compile("(users|clients)\\[(\\d+)]");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .build();

    private KeycloakExport() {
    }

    /**
     * The result of a conversion.
     *
     * @param realmName       the Keycloak realm's name
     * @param keycloakVersion the version of Keycloak that wrote the export, if it says
     * @param realm           the clients and users to import, already checked by {@link RealmValidator#validate}
     * @param source          the source to give {@link RealmValidator} and the importer for {@code realm}: its
     *                        paths ({@code users[2]}) count the converted records, which are not Keycloak's, so
     *                        it names the file as converted and points at no line of it
     * @param warnings        what was not carried over and needs a decision, one sentence each, naming the record
     * @param skipped         what Latchkey has no use for and was left out on purpose, one sentence each
     */
    public record Conversion(String realmName, String keycloakVersion, RealmFile realm, RealmSource source,
            List<String> warnings, List<String> skipped) {
        public Conversion {
            warnings = List.copyOf(warnings);
            skipped = List.copyOf(skipped);
        }
    }

    /**
     * Whether a realm file's text is a Keycloak export rather than a Latchkey realm file: a JSON object
     * (or a list of one) with a top-level {@code realm} name, which a Latchkey realm file never has.
     */
    public static boolean looksLikeKeycloakExport(String text) {
        if (text == null) {
            return false;
        }
        String start = text.stripLeading();
        if (!start.startsWith("{") && !start.startsWith("[")) {
            return false;
        }
        try (JsonParser parser = JSON.createParser(start)) {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_ARRAY && parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("realm") && value == JsonToken.VALUE_STRING) {
                    return true;
                }
                parser.skipChildren();
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /**
     * Converts the Keycloak export in {@code source} and validates the result as a whole.
     *
     * @throws RealmException naming the Keycloak record ({@code users[3]} and its username, or the client
     *                        id) and the line it starts on, for anything that cannot be carried over safely
     */
    public static Conversion convert(RealmSource source) {
        JsonNode tree = tree(source);
        String prefix = "";
        if (tree.isArray()) {
            if (tree.size() != 1) {
                throw new RealmException("Realm file " + source.file() + " holds " + tree.size()
                        + " Keycloak realms; Latchkey imports one: export it alone with kc.sh export --realm NAME", null);
            }
            tree = tree.get(0);
            prefix = "[0].";
        }
        KeycloakRealm realm = bind(source, prefix, tree);
        Converter converter = new Converter(source, prefix, realm);
        RealmFile converted = new RealmFile(converter.clients(), converter.users());
        converter.realmNotes();
        RealmSource convertedSource = new RealmSource(
                Path.of(source.file() + " (as converted from Keycloak realm '" + realm.realm() + "')"), "");
        try {
            RealmValidator.validate(convertedSource, converted);
        } catch (RealmException e) {
            throw converter.inKeycloakTerms(convertedSource, e);
        }
        return new Conversion(realm.realm(), realm.keycloakVersion(), converted, convertedSource,
                converter.warnings, converter.skipped);
    }

    private static JsonNode tree(RealmSource source) {
        try {
            JsonNode tree = JSON.readTree(source.text());
            if (tree == null || !(tree.isObject() || tree.isArray())) {
                throw new RealmException("Realm file " + source.file() + " is not a Keycloak realm export: expected a JSON object", null);
            }
            return tree;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " line " + e.getLocation().getLineNr();
            throw new RealmException("Realm file " + source.file() + where + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static KeycloakRealm bind(RealmSource source, String prefix, JsonNode tree) {
        try {
            KeycloakRealm realm = JSON.treeToValue(tree, KeycloakRealm.class);
            if (realm.realm() == null || realm.realm().isBlank()) {
                throw source.error(prefix + "realm", "expected the Keycloak realm's name");
            }
            return realm;
        } catch (JsonMappingException e) {
            StringBuilder path = new StringBuilder(prefix.isEmpty() ? "" : "[0]");
            for (JsonMappingException.Reference ref : e.getPath()) {
                if (ref.getIndex() >= 0) {
                    path.append('[').append(ref.getIndex()).append(']');
                } else if (ref.getFieldName() != null) {
                    path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
                }
            }
            String message = e.getOriginalMessage();
            int cut = message.indexOf('\n');
            throw source.error(path.toString(), "not what a Keycloak realm export holds here: "
                    + (cut < 0 ? message : message.substring(0, cut)));
        } catch (JsonProcessingException e) {
            throw new RealmException("Realm file " + source.file() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** A converted record and the Keycloak record it came from. */
    record Origin(String path, String name) {
        String label() {
            return path + " '" + name + "'";
        }
    }

    /** One conversion: the export, what it became and the notes taken on the way. */
    static final class Converter {
        final RealmSource source;
        final String prefix;
        final KeycloakRealm realm;
        final List<String> warnings = new ArrayList<>();
        final List<String> skipped = new ArrayList<>();
        final List<Origin> userOrigins = new ArrayList<>();
        final List<Origin> clientOrigins = new ArrayList<>();

        Converter(RealmSource source, String prefix, KeycloakRealm realm) {
            this.source = source;
            this.prefix = prefix;
            this.realm = realm;
        }

        List<RealmFile.UserEntry> users() {
            if (realm.users() == null) {
                warnings.add("The export holds no users: Keycloak wrote them to separate files (kc.sh export --users "
                        + "different_files) or left them out (--users skip); export with --users same_file to bring them");
                return List.of();
            }
            return new KeycloakUsers(this).convert();
        }

        List<RealmFile.Client> clients() {
            if (realm.clients() == null) {
                return List.of();
            }
            return new KeycloakClients(this).convert();
        }

        RealmException error(String path, String message) {
            return source.error(path, message);
        }

        /** Realm-wide settings with no counterpart in a Latchkey realm file. */
        void realmNotes() {
            if (realm.identityProviders() != null && !realm.identityProviders().isEmpty()) {
                warnings.add("Identity providers " + realm.identityProviders().stream()
                        .map(p -> p.alias() + " (" + p.providerId() + ")").toList()
                        + " are not carried over: Latchkey does not broker sign-ins to other providers");
            }
            if (realm.components() != null) {
                for (KeycloakRealm.Component c : realm.components().getOrDefault("org.keycloak.storage.UserStorageProvider", List.of())) {
                    warnings.add("User federation '" + c.name() + "' (" + c.providerId() + ") is not carried over: the users "
                            + "it serves are not in the export and their passwords stay in that directory");
                }
            }
            skipped.add("Realm '" + realm.realm() + "' settings: Latchkey's own configuration applies instead (issuer, "
                    + "signing keys, token and session lifetimes, password policy, brute-force protection, login flows, "
                    + "themes, email). Tokens and sessions Keycloak issued are not valid at Latchkey: users sign in again");
        }

        /**
         * A validation error about the converted file, said in terms of the export: the Keycloak record's path
         * and line, with the username or client id it concerns.
         */
        RealmException inKeycloakTerms(RealmSource converted, RealmException e) {
            String head = "Realm file " + converted.file() + ", ";
            String message = e.getMessage();
            if (!message.startsWith(head) || !message.contains(": ")) {
                return e;
            }
            String rest = message.substring(head.length());
            int colon = rest.indexOf(": ");
            String path = rest.substring(0, colon);
            String expected = rest.substring(colon + 2);
            Matcher record = RECORD.matcher(path);
            if (!record.lookingAt()) {
                return e;
            }
            Origin origin = origin(record.group(1), Integer.parseInt(record.group(2)));
            String field = path.substring(record.end());
            String keycloakPath = origin.path() + keycloakField(record.group(1), field);
            Matcher others = RECORD.matcher(expected);
            StringBuilder translated = new StringBuilder();
            while (others.find()) {
                others.appendReplacement(translated, Matcher.quoteReplacement(
                        origin(others.group(1), Integer.parseInt(others.group(2))).label()));
            }
            others.appendTail(translated);
            String what = record.group(1).equals("users") ? "user '" : "client '";
            return new RealmException(source.error(keycloakPath, what + origin.name() + "': " + translated).getMessage(), e);
        }

        private Origin origin(String list, int index) {
            List<Origin> origins = list.equals("users") ? userOrigins : clientOrigins;
            return index < origins.size() ? origins.get(index) : new Origin(list + "[" + index + "]", "?");
        }

        /** The Keycloak field a converted field came from, where the names agree; else the record itself. */
        private static String keycloakField(String list, String field) {
            Set<String> same = list.equals("users") ? Set.of(".username", ".id", ".enabled")
                    : Set.of(".clientId", ".secret", ".webOrigins", ".redirectUris");
            for (String name : same) {
                if (field.equals(name) || field.startsWith(name + "[")) {
                    return name.equals(".webOrigins") ? name : field;
                }
            }
            if (list.equals("users") && field.startsWith(".claims.")) {
                return ".attributes";
            }
            if (list.equals("users") && field.equals(".passwordHash")) {
                return ".credentials";
            }
            return "";
        }

        static String list(List<String> values) {
            return values.stream().collect(Collectors.joining(", ", "[", "]"));
        }
    }
}
