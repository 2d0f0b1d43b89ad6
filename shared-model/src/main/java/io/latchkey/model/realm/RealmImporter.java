package io.latchkey.model.realm;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.domain.User;
import io.latchkey.model.password.PasswordHasher;
import io.latchkey.model.store.ClientStore;
import io.latchkey.model.store.UserStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Loads the realm file into Redis at start-up. Importing is idempotent: a record that is already as the
 * file says is left alone (a plain-text password that the stored hash already matches keeps its hash),
 * and an edited file updates exactly what it declares.
 *
 * <p>Nothing is written unless the whole file is valid: the file is parsed, then checked as a whole by
 * {@link RealmValidator}, then against what Redis holds (a username may not pass to a second account),
 * and only then are the records built (secrets hashed) and written.
 */
@ApplicationScoped
public class RealmImporter {

    private static final Logger LOG = Logger.getLogger(RealmImporter.class);

    static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory())
            .addModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /** What an import changed. */
    public record Result(int created, int updated, int unchanged) {
    }

    /** A record of the file and what Redis held for it before the import. */
    private record Change<T>(T record, Optional<T> stored) {
        boolean unchanged() {
            return stored.isPresent() && stored.get().equals(record);
        }
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
        RealmSource source = read(file);
        RealmFile realm = parse(source);
        RealmValidator.validate(source, realm);
        checkUsernamesAgainstStore(source, realm);

        List<Change<ClientRegistration>> clientChanges = new ArrayList<>();
        for (int i = 0; i < realm.clients().size(); i++) {
            RealmFile.Client entry = realm.clients().get(i);
            String at = "clients[" + i + "]";
            Optional<ClientRegistration> stored = clients.find(entry.clientId()).await().indefinitely();
            ClientRegistration client = RealmValidator.client(source, at, entry, c -> {
                LOG.warnf("Realm file %s: %s.secret is plain text; it is stored hashed. Put secretHash in the file instead.",
                        file, at);
                return existingHashIfSame(stored.map(ClientRegistration::secretHash).orElse(null), c.secret());
            });
            clientChanges.add(new Change<>(client, stored));
        }
        List<Change<User>> userChanges = new ArrayList<>();
        for (RealmFile.UserEntry entry : realm.users()) {
            String id = RealmValidator.userId(entry);
            Optional<User> stored = users.find(id).await().indefinitely();
            userChanges.add(new Change<>(toUser(file, id, entry, stored), stored));
        }
        // A renamed user gives its old name up before another user of the file takes that name.
        userChanges.sort(Comparator.comparing((Change<User> c) -> !c.stored()
                .map(s -> !s.username().equals(c.record().username())).orElse(false)));

        int created = 0, updated = 0, unchanged = 0;
        for (Change<ClientRegistration> change : clientChanges) {
            if (change.unchanged()) {
                unchanged++;
                clients.indexWebOrigins(change.record()).await().indefinitely();
                continue;
            }
            if (change.stored().isEmpty()) {
                created++;
            } else {
                updated++;
            }
            clients.save(change.record()).await().indefinitely();
        }
        for (Change<User> change : userChanges) {
            if (change.unchanged()) {
                unchanged++;
                continue;
            }
            if (change.stored().isEmpty()) {
                created++;
            } else {
                updated++;
            }
            users.save(change.record()).await().indefinitely();
        }
        Result result = new Result(created, updated, unchanged);
        LOG.infof("Realm %s imported: %d created, %d updated, %d unchanged", file, created, updated, unchanged);
        return result;
    }

    /**
     * RFC 8265 makes look-alike usernames one name, so a username may not pass to a second account: a name
     * whose canonical form already belongs to an account this file does not declare is refused.
     */
    private void checkUsernamesAgainstStore(RealmSource source, RealmFile realm) {
        Set<String> declared = realm.users().stream().map(RealmValidator::userId).collect(Collectors.toSet());
        for (int i = 0; i < realm.users().size(); i++) {
            RealmFile.UserEntry entry = realm.users().get(i);
            String name = RealmValidator.username(entry);
            Optional<String> owner = users.userIdOf(name).await().indefinitely();
            if (owner.isPresent() && !owner.get().equals(RealmValidator.userId(entry)) && !declared.contains(owner.get())) {
                throw source.error("users[" + i + "].username", "'" + name + "' is already the username of the account '"
                        + owner.get() + "', which this file does not declare; one name cannot belong to two accounts");
            }
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
        return new User(id, RealmValidator.username(u), hash, u.enabled() == null || u.enabled(), u.claims());
    }

    /** Keeps a stored hash that already matches the plain text, so a second import changes nothing. */
    private String existingHashIfSame(String storedHash, String plain) {
        if (storedHash != null && hasher.verify(plain.toCharArray(), storedHash)) {
            return storedHash;
        }
        return hasher.hash(plain.toCharArray());
    }

    static RealmSource read(Path file) {
        try {
            return new RealmSource(file, Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new RealmException("Realm file " + file + " does not exist (latchkey.realm.file).", e);
        } catch (IOException e) {
            throw new RealmException("Realm file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    static RealmFile parse(RealmSource source) {
        Path file = source.file();
        String text = source.text();
        try {
            RealmFile realm = YAML.readValue(text, RealmFile.class);
            if (realm == null) {
                throw new RealmException("Realm file " + file + " is empty: expected 'clients:' and 'users:' lists.", null);
            }
            return realm;
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
        }
    }

    private static RealmException syntaxError(Path file, JsonProcessingException e) {
        return new RealmException("Realm file " + file + where(e.getLocation()) + ": not valid YAML or JSON: "
                + e.getOriginalMessage(), e);
    }

    /**
     * Where the offending setting starts. Jackson reports where its parser stopped, which for records
     * (read whole before they are built) is past the setting; so the file is scanned again for the path.
     */
    private static String where(String text, JsonMappingException e) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            String step = ref.getIndex() >= 0 ? Integer.toString(ref.getIndex()) : ref.getFieldName();
            pointer.append('/').append(step.replace("~", "~0").replace("/", "~1"));
        }
        return where(RealmSource.locate(YAML, text, pointer.toString()).orElse(e.getLocation()));
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
