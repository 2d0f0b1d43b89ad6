package io.latchkey.model.realm;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.domain.ClientType;
import io.latchkey.model.domain.GrantType;
import io.latchkey.model.domain.User;
import io.latchkey.model.password.PasswordHasher;
import io.latchkey.model.store.ClientStore;
import io.latchkey.model.store.UserStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Loads the realm file into Redis at start-up. Importing is idempotent: a record that is already as the
 * file says is left alone (a plain-text password that the stored hash already matches keeps its hash),
 * and an edited file updates exactly what it declares. Nothing is written unless the whole file is valid.
 */
@ApplicationScoped
public class RealmImporter {

    private static final Logger LOG = Logger.getLogger(RealmImporter.class);
    private static final Set<String> ALGORITHMS = Set.of("RS256", "ES256", "EdDSA");

    private static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory())
            .addModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /** What an import changed. */
    public record Result(int created, int updated, int unchanged) {
    }

    private final ClientStore clients;
    private final UserStore users;
    private final PasswordHasher hasher;
    private final LatchkeyConfig config;

    public RealmImporter(ClientStore clients, UserStore users, PasswordHasher hasher, LatchkeyConfig config) {
        this.clients = clients;
        this.users = users;
        this.hasher = hasher;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        config.realm().file().ifPresent(this::importFile);
    }

    /** Start-up only: blocks on Redis. */
    public Result importFile(Path file) {
        RealmFile realm = parse(file);
        List<ClientRegistration> newClients = new ArrayList<>();
        for (int i = 0; i < realm.clients().size(); i++) {
            newClients.add(toClient(file, "clients[" + i + "]", realm.clients().get(i)));
        }
        checkUnique(file, "clients", realm.clients().stream().map(RealmFile.Client::clientId).toList());
        checkUnique(file, "users", realm.users().stream().map(u -> u.username().toLowerCase(Locale.ROOT)).toList());
        for (int i = 0; i < realm.users().size(); i++) {
            validateUser(file, "users[" + i + "]", realm.users().get(i));
        }

        int created = 0, updated = 0, unchanged = 0;
        for (ClientRegistration client : newClients) {
            Optional<ClientRegistration> stored = clients.find(client.clientId()).await().indefinitely();
            if (stored.isEmpty()) {
                created++;
            } else if (stored.get().equals(client)) {
                unchanged++;
                clients.indexWebOrigins(client).await().indefinitely();
                continue;
            } else {
                updated++;
            }
            clients.save(client).await().indefinitely();
        }
        for (RealmFile.UserEntry entry : realm.users()) {
            String id = entry.id() != null ? entry.id() : entry.username();
            Optional<User> stored = users.find(id).await().indefinitely();
            User user = toUser(file, id, entry, stored);
            if (stored.isEmpty()) {
                created++;
            } else if (stored.get().equals(user)) {
                unchanged++;
                continue;
            } else {
                updated++;
            }
            users.save(user).await().indefinitely();
        }
        Result result = new Result(created, updated, unchanged);
        LOG.infof("Realm %s imported: %d created, %d updated, %d unchanged", file, created, updated, unchanged);
        return result;
    }

    RealmFile parse(Path file) {
        String text = "";
        try {
            text = Files.readString(file);
            RealmFile realm = YAML.readValue(text, RealmFile.class);
            if (realm == null) {
                throw new RealmException("Realm file " + file + " is empty: expected 'clients:' and 'users:' lists.", null);
            }
            return realm;
        } catch (NoSuchFileException e) {
            throw new RealmException("Realm file " + file + " does not exist (latchkey.realm.file).", e);
        } catch (UnrecognizedPropertyException e) {
            throw new RealmException("Realm file " + file + where(text, e) + path(e) + ": unknown setting '" + e.getPropertyName()
                    + "'; expected one of " + e.getKnownPropertyIds(), e);
        } catch (MismatchedInputException e) {
            String expected = e.getTargetType() == null ? "" : "; expected " + describe(e.getTargetType());
            throw new RealmException("Realm file " + file + where(text, e) + path(e) + ": " + firstLine(e.getOriginalMessage()) + expected, e);
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof JsonProcessingException syntax) {
                throw syntaxError(file, syntax);
            }
            throw new RealmException("Realm file " + file + where(text, e) + path(e) + ": " + firstLine(e.getOriginalMessage()), e);
        } catch (JsonProcessingException e) {
            throw syntaxError(file, e);
        } catch (IOException e) {
            throw new RealmException("Realm file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private ClientRegistration toClient(Path file, String at, RealmFile.Client c) {
        ClientType type = switch (c.type().toLowerCase(Locale.ROOT)) {
            case "public" -> ClientType.PUBLIC;
            case "confidential" -> ClientType.CONFIDENTIAL;
            default -> throw invalid(file, at + ".type", "expected 'public' or 'confidential', found '" + c.type() + "'");
        };
        String secretHash = null;
        if (type == ClientType.CONFIDENTIAL) {
            if (c.secretHash() != null) {
                if (!PasswordHasher.isHash(c.secretHash())) {
                    throw invalid(file, at + ".secretHash", "expected an Argon2id, PBKDF2 or bcrypt hash");
                }
                secretHash = c.secretHash();
            } else if (c.secret() != null && !c.secret().isEmpty()) {
                secretHash = existingHashIfSame(clients.find(c.clientId()).await().indefinitely()
                        .map(ClientRegistration::secretHash).orElse(null), c.secret());
                LOG.warnf("Realm file %s: %s.secret is plain text; it is stored hashed. Put secretHash in the file instead.",
                        file, at);
            } else {
                throw invalid(file, at, "a confidential client needs 'secret' or 'secretHash'");
            }
        } else if (c.secret() != null || c.secretHash() != null) {
            throw invalid(file, at + ".secret", "a public client has no secret (RFC 6749 2.1); remove it or make the client confidential");
        }
        Set<GrantType> grants = new LinkedHashSet<>();
        for (String g : c.grantTypes() == null ? Set.of("authorization_code", "refresh_token") : c.grantTypes()) {
            grants.add(GrantType.of(g).orElseThrow(() -> invalid(file, at + ".grantTypes",
                    "expected authorization_code, refresh_token or client_credentials, found '" + g + "'")));
        }
        if (grants.contains(GrantType.CLIENT_CREDENTIALS) && type == ClientType.PUBLIC) {
            throw invalid(file, at + ".grantTypes", "client_credentials needs a confidential client");
        }
        List<String> redirects = c.redirectUris() == null ? List.of() : c.redirectUris();
        for (int i = 0; i < redirects.size(); i++) {
            checkRedirectUri(file, at + ".redirectUris[" + i + "]", redirects.get(i));
        }
        if (grants.contains(GrantType.AUTHORIZATION_CODE) && redirects.isEmpty()) {
            throw invalid(file, at + ".redirectUris", "an authorization_code client needs at least one redirect URI");
        }
        List<String> logoutRedirects = c.postLogoutRedirectUris() == null ? List.of() : c.postLogoutRedirectUris();
        for (int i = 0; i < logoutRedirects.size(); i++) {
            checkRedirectUri(file, at + ".postLogoutRedirectUris[" + i + "]", logoutRedirects.get(i));
        }
        List<String> origins = c.webOrigins() != null ? c.webOrigins() : originsOf(redirects);
        for (int i = 0; i < origins.size(); i++) {
            String o = origins.get(i);
            if (!o.equals(originOf(o).orElse(null))) {
                throw invalid(file, at + ".webOrigins[" + i + "]", "expected an origin like https://app.example.com (no path), found '" + o + "'");
            }
        }
        String alg = c.signingAlg() == null ? "RS256" : c.signingAlg();
        if (!ALGORITHMS.contains(alg)) {
            throw invalid(file, at + ".signingAlg", "expected one of " + ALGORITHMS + ", found '" + alg + "'");
        }
        Set<String> scopes = c.scopes() == null ? Set.of("openid", "profile", "email", "offline_access") : c.scopes();
        boolean resourceServer = Boolean.TRUE.equals(c.resourceServer());
        if (resourceServer && type == ClientType.PUBLIC) {
            throw invalid(file, at + ".resourceServer", "a resource server authenticates to /introspect (RFC 7662 2.1); make it confidential");
        }
        return new ClientRegistration(c.clientId(), c.name(), type, secretHash, redirects, logoutRedirects, origins,
                scopes, grants, Boolean.TRUE.equals(c.firstParty()), alg, c.accessTokenLifetime(), c.refreshTokenLifetime(),
                resourceServer);
    }

    private void validateUser(Path file, String at, RealmFile.UserEntry u) {
        if (u.username().isBlank()) {
            throw invalid(file, at + ".username", "expected a non-empty username");
        }
        if (u.passwordHash() != null && !PasswordHasher.isHash(u.passwordHash())) {
            throw invalid(file, at + ".passwordHash", "expected an Argon2id, PBKDF2 or bcrypt hash");
        }
        if (u.passwordHash() == null && (u.password() == null || u.password().isEmpty())) {
            throw invalid(file, at, "a user needs 'password' or 'passwordHash'");
        }
    }

    private User toUser(Path file, String id, RealmFile.UserEntry u, Optional<User> stored) {
        String hash;
        if (u.passwordHash() != null) {
            hash = u.passwordHash();
        } else {
            LOG.warnf("Realm file %s: user '%s' has a plain-text password; it is stored hashed. Put passwordHash in the file instead.",
                    file, u.username());
            hash = existingHashIfSame(stored.map(User::passwordHash).orElse(null), u.password());
        }
        return new User(id, u.username(), hash, u.enabled() == null || u.enabled(), u.claims());
    }

    /** Keeps a stored hash that already matches the plain text, so a second import changes nothing. */
    private String existingHashIfSame(String storedHash, String plain) {
        if (storedHash != null && hasher.verify(plain.toCharArray(), storedHash)) {
            return storedHash;
        }
        return hasher.hash(plain.toCharArray());
    }

    /** RFC 6749 §3.1.2: absolute, no fragment. Private-use schemes (RFC 8252 §7.1) are allowed. */
    private static void checkRedirectUri(Path file, String at, String value) {
        try {
            URI uri = new URI(value);
            if (!uri.isAbsolute() || uri.getRawFragment() != null) {
                throw invalid(file, at, "expected an absolute URI without fragment, found '" + value + "'");
            }
        } catch (URISyntaxException e) {
            throw invalid(file, at, "expected a URI, found '" + value + "'");
        }
    }

    private static List<String> originsOf(List<String> redirectUris) {
        return redirectUris.stream().map(RealmImporter::originOf).flatMap(Optional::stream).distinct().collect(Collectors.toList());
    }

    /** The web origin (scheme://host[:port]) of an http(s) URI. */
    static Optional<String> originOf(String uri) {
        try {
            URI u = new URI(uri);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
                return Optional.empty();
            }
            return Optional.of(scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (u.getPort() == -1 ? "" : ":" + u.getPort()));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static void checkUnique(Path file, String list, List<String> names) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            if (!seen.add(names.get(i))) {
                throw invalid(file, list + "[" + i + "]", "'" + names.get(i) + "' appears twice");
            }
        }
    }

    private static RealmException syntaxError(Path file, JsonProcessingException e) {
        return new RealmException("Realm file " + file + where(e.getLocation()) + ": not valid YAML or JSON: "
                + e.getOriginalMessage(), e);
    }

    private static RealmException invalid(Path file, String at, String expected) {
        return new RealmException("Realm file " + file + " at " + at + ": " + expected, null);
    }

    /**
     * Where the offending setting starts. Jackson reports where its parser stopped, which for records
     * (read whole before they are built) is past the setting; so the file is scanned again for the path.
     */
    private static String where(String text, JsonMappingException e) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            pointer.append('/').append(ref.getIndex() >= 0 ? Integer.toString(ref.getIndex()) : ref.getFieldName());
        }
        try (JsonParser parser = YAML.createParser(text)) {
            while (parser.nextToken() != null) {
                if (parser.getParsingContext().pathAsPointer().toString().contentEquals(pointer)) {
                    return where(parser.currentTokenLocation());
                }
            }
        } catch (IOException ignored) {
            // fall back to Jackson's own location
        }
        return where(e.getLocation());
    }

    private static String describe(Class<?> type) {
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a mapping of settings";
        }
        if (type == Duration.class) {
            return "a duration such as PT5M or 300 (seconds)";
        }
        return type == String.class ? "text" : type.getSimpleName();
    }

    private static String firstLine(String message) {
        int cut = message.indexOf('\n');
        return (cut < 0 ? message : message.substring(0, cut)).replaceAll("\\(class [^)]*\\)", "").trim();
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? ""
                : ", line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            }
        }
        return sb.length() == 0 ? "" : " (at " + sb + ")";
    }
}
