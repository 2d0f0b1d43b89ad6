package io.latchkey.model.realm;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.directory.ClientDirectory;
import io.latchkey.model.directory.DirectoryCalls;
import io.latchkey.model.directory.DirectoryMigrations;
import io.latchkey.model.directory.UserDirectory;
import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.domain.User;
import io.latchkey.model.domain.Usernames;
import io.latchkey.model.password.PasswordHasher;
import io.latchkey.model.realm.keycloak.KeycloakExport;
import io.latchkey.model.store.SubjectGrants;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.pgclient.PgException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Loads the realm file into the PostgreSQL directory at start-up: declarative bootstrap, as GitOps wants it.
 * Importing is idempotent: a record that is already as the file says is left alone (a plain-text password
 * that the stored hash already matches keeps its hash), and an edited file updates exactly what it declares.
 *
 * <p>Nothing is written unless the whole file is valid: the file is parsed, then checked as a whole by
 * {@link RealmValidator}, then against what the directory holds (a username may not pass to a second
 * account), and only then are the records built (secrets hashed) and written, in one transaction. An
 * advisory lock makes concurrent imports (both services, several replicas) run one after the other. A user
 * the file disables loses its SSO sessions and refresh families once the transaction has committed. A client the
 * file declares that was registered dynamically (RFC 7591) becomes the file's: its registration access token no
 * longer opens it.
 */
@ApplicationScoped
public class RealmImporter {

    private static final Logger LOG = Logger.getLogger(RealmImporter.class);

    /** Run after the schema migration. */
    public static final int STARTUP_PRIORITY = DirectoryMigrations.STARTUP_PRIORITY + 10;

    /** pg_advisory_xact_lock key of the realm import: "lkrealm" as a number. */
    private static final long IMPORT_LOCK = 0x6c6b7265616c6dL;
    /** Rows per statement: big enough for a million users, small enough for one message each. */
    static final int BATCH = 5_000;
    private static final Duration DEADLINE = Duration.ofMinutes(30);

    /**
     * YAML (JSON is YAML). The parser's 3 MiB guard against hostile documents is lifted: a realm file is the
     * operator's own, and a directory of a million users is hundreds of megabytes.
     */
    static final ObjectMapper YAML = JsonMapper.builder(YAMLFactory.builder()
                    .loaderOptions(unlimited())
                    .build())
            .addModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private static LoaderOptions unlimited() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(Integer.MAX_VALUE);
        return options;
    }

    /** What an import changed. */
    public record Result(int created, int updated, int unchanged) {
    }

    /** A record of the file and what the directory held for it before the import. */
    private record Change<T>(T record, Optional<T> stored) {
        boolean unchanged() {
            return stored.isPresent() && stored.get().equals(record);
        }
    }

    private final Pool pool;
    private final ClientDirectory clients;
    private final UserDirectory users;
    private final SubjectGrants grants;
    private final PasswordHasher hasher;
    private final LatchkeyConfig config;

    public RealmImporter(Pool pool, ClientDirectory clients, UserDirectory users, SubjectGrants grants,
            PasswordHasher hasher, LatchkeyConfig config) {
        this.pool = pool;
        this.clients = clients;
        this.users = users;
        this.grants = grants;
        this.hasher = hasher;
        this.config = config;
    }

    void onStart(@Observes @Priority(STARTUP_PRIORITY) StartupEvent event) {
        if (config.directory().bootstrap()) {
            config.realm().file().ifPresent(this::importFile);
        }
        if (config.realm().exitAfterImport()) {
            LOG.info("Realm imported; stopping, as latchkey.realm.exit-after-import asks");
            Quarkus.asyncExit(0);
        }
    }

    /** Start-up and command line only: blocks on PostgreSQL and hashes on the calling thread. */
    public Result importFile(Path file) {
        RealmSource source = read(file);
        if (KeycloakExport.looksLikeKeycloakExport(source.text())) {
            // A realm exported by Keycloak: converted (and validated) first, then imported like any realm file.
            KeycloakExport.Conversion conversion = KeycloakExport.convert(source);
            LOG.infof("Realm file %s is Keycloak %s's export of realm '%s'", file, conversion.keycloakVersion(),
                    conversion.realmName());
            conversion.warnings().forEach(warning -> LOG.warnf("Realm file %s: %s", file, warning));
            conversion.skipped().forEach(skipped -> LOG.infof("Realm file %s: skipped %s", file, skipped));
            // Keycloak exports client secrets in plain text: nothing the file's author could do otherwise.
            return importRealm(conversion.source(), conversion.realm(), "");
        }
        RealmFile realm = parse(source);
        RealmValidator.validate(source, realm);
        return importRealm(source, realm, " Put secretHash in the file instead.");
    }

    private Result importRealm(RealmSource source, RealmFile realm, String plainSecretAdvice) {
        Path file = source.file();
        SqlConnection connection = pool.getConnection().await().atMost(config.directory().timeout().multipliedBy(5));
        Transaction transaction = connection.begin().await().atMost(DEADLINE);
        List<String> disabledNow = new ArrayList<>();
        Result result;
        try {
            connection.query("SELECT pg_advisory_xact_lock(" + IMPORT_LOCK + ")").execute().await().atMost(DEADLINE);
            checkUsernamesAgainstDirectory(connection, source, realm);

            Map<String, ClientRegistration> storedClients = clients.findAll(connection,
                    realm.clients().stream().map(RealmFile.Client::clientId).toList()).await().atMost(DEADLINE);
            List<Change<ClientRegistration>> clientChanges = new ArrayList<>();
            for (int i = 0; i < realm.clients().size(); i++) {
                RealmFile.Client entry = realm.clients().get(i);
                String at = "clients[" + i + "]";
                Optional<ClientRegistration> stored = Optional.ofNullable(storedClients.get(entry.clientId()));
                ClientRegistration client = RealmValidator.client(source, at, entry, c -> {
                    LOG.warnf("Realm file %s: %s.secret is plain text; it is stored hashed.%s", file, at,
                            plainSecretAdvice);
                    return existingHashIfSame(stored.map(ClientRegistration::secretHash).orElse(null), c.secret());
                });
                clientChanges.add(new Change<>(client, stored));
            }

            List<Change<User>> userChanges = new ArrayList<>(realm.users().size());
            for (List<RealmFile.UserEntry> batch : batches(realm.users())) {
                Map<String, User> stored = users.findAll(connection, batch.stream().map(RealmValidator::userId).toList())
                        .await().atMost(DEADLINE);
                for (RealmFile.UserEntry entry : batch) {
                    String id = RealmValidator.userId(entry);
                    userChanges.add(new Change<>(toUser(file, id, entry, Optional.ofNullable(stored.get(id))),
                            Optional.ofNullable(stored.get(id))));
                }
            }

            int created = 0, updated = 0, unchanged = 0;
            List<ClientRegistration> clientWrites = new ArrayList<>();
            for (Change<ClientRegistration> change : clientChanges) {
                if (change.unchanged()) {
                    unchanged++;
                } else {
                    created += change.stored().isEmpty() ? 1 : 0;
                    updated += change.stored().isPresent() ? 1 : 0;
                    clientWrites.add(change.record());
                }
            }
            for (ClientRegistration client : clientWrites) {
                clients.save(connection, client).await().atMost(DEADLINE);
            }
            clients.endRegistrations(connection, realm.clients().stream().map(RealmFile.Client::clientId).toList())
                    .await().atMost(DEADLINE);
            List<User> userWrites = new ArrayList<>();
            for (Change<User> change : userChanges) {
                if (change.unchanged()) {
                    unchanged++;
                    continue;
                }
                created += change.stored().isEmpty() ? 1 : 0;
                updated += change.stored().isPresent() ? 1 : 0;
                userWrites.add(change.record());
                if (!change.record().enabled() && change.stored().map(User::enabled).orElse(false)) {
                    disabledNow.add(change.record().id());
                }
            }
            for (List<User> batch : batches(userWrites)) {
                users.save(connection, batch).await().atMost(DEADLINE);
            }
            transaction.commit().await().atMost(DEADLINE);
            clientWrites.forEach(client -> clients.changed(client.clientId()));
            userWrites.forEach(user -> users.changed(user.id()));
            result = new Result(created, updated, unchanged);
        } catch (RuntimeException e) {
            transaction.rollback().onFailure().recoverWithNull().await().atMost(DEADLINE);
            if (DirectoryCalls.isConstraintViolation(e)) {
                // Another writer took a name or id between the check and the write: the file is not wrong,
                // but nothing of it was written.
                throw new RealmException("Realm file " + file + " was not imported: " + ((PgException) e).getDetail()
                        + " (written meanwhile by another writer); nothing was written.", e);
            }
            throw e;
        } finally {
            connection.close().await().indefinitely();
        }
        for (String userId : disabledNow) {
            int ended = grants.endAll(userId).await().atMost(DEADLINE);
            LOG.infof("User %s is disabled by the realm file: %d sessions and grant families ended", userId, ended);
        }
        LOG.infof("Realm %s imported: %d created, %d updated, %d unchanged", file, result.created(), result.updated(),
                result.unchanged());
        return result;
    }

    /**
     * RFC 8265 makes look-alike usernames one name, so a username may not pass to a second account: a name
     * whose canonical form already belongs to an account this file does not declare is refused.
     */
    private void checkUsernamesAgainstDirectory(SqlConnection connection, RealmSource source, RealmFile realm) {
        Set<String> declared = realm.users().stream().map(RealmValidator::userId).collect(Collectors.toSet());
        int from = 0;
        for (List<RealmFile.UserEntry> batch : batches(realm.users())) {
            Map<String, String> owners = users.ownersOf(connection, batch.stream().map(RealmValidator::username)
                    .map(Usernames::comparable).toList()).await().atMost(DEADLINE);
            for (int i = 0; i < batch.size(); i++) {
                RealmFile.UserEntry entry = batch.get(i);
                String name = RealmValidator.username(entry);
                String owner = owners.get(Usernames.comparable(name));
                if (owner != null && !owner.equals(RealmValidator.userId(entry)) && !declared.contains(owner)) {
                    throw source.error("users[" + (from + i) + "].username", "'" + name + "' is already the username of the account '"
                            + owner + "', which this file does not declare; one name cannot belong to two accounts");
                }
            }
            from += batch.size();
        }
    }

    /** Consecutive slices of {@link #BATCH} rows: one statement each. */
    private static <T> List<List<T>> batches(List<T> all) {
        List<List<T>> slices = new ArrayList<>();
        for (int from = 0; from < all.size(); from += BATCH) {
            slices.add(all.subList(from, Math.min(from + BATCH, all.size())));
        }
        return slices;
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
