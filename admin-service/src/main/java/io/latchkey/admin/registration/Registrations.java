package io.latchkey.admin.registration;

import io.latchkey.admin.auth.AdminAuthException;
import io.latchkey.admin.auth.AdminAuthException.Reason;
import io.latchkey.admin.registration.RegistrationAccess.Holder;
import io.latchkey.admin.registration.RegistrationAccess.Manager;
import io.latchkey.model.audit.AuditEvent;
import io.latchkey.model.audit.AuditEventType;
import io.latchkey.model.audit.AuditTrail;
import io.latchkey.model.directory.ClientDirectory;
import io.latchkey.model.directory.DirectoryCalls;
import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.domain.GrantType;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.password.PasswordHasher;
import io.latchkey.model.password.PasswordWorkers;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Registers, reads, replaces and deletes clients (RFC 7591 §3, RFC 7592 §2). The client goes to {@code clients}
 * through ClientDirectory, exactly as a realm file's would, so the authorize and token legs need nothing to serve
 * it; its registration access token's hash and auth method to {@code client_registrations}; its audit event into
 * the same transaction. Secrets are hashed on the password threads, never on the event loop.
 *
 * <p>A client the realm file declares has no registration record, hence no registration access token: only an
 * operator reaches it, and may read or delete it but not replace it, since the realm file holds its metadata and
 * the next import would undo the change without a word (docs/admin/registration.md).
 */
@ApplicationScoped
public class Registrations {

    /** Stands in for the secret's hash while the metadata are checked, so a refused request costs no hashing. */
    private static final String NOT_YET_HASHED = "(hashed once the metadata are valid)";

    private final Pool pool;
    private final DirectoryCalls calls;
    private final ClientDirectory clients;
    private final RegistrationStore store;
    private final AuditTrail audit;
    private final PasswordHasher hasher;
    private final PasswordWorkers workers;

    public Registrations(Pool pool, DirectoryCalls calls, ClientDirectory clients, RegistrationStore store, AuditTrail audit,
            PasswordHasher hasher, PasswordWorkers workers) {
        this.pool = pool;
        this.calls = calls;
        this.clients = clients;
        this.store = store;
        this.audit = audit;
        this.hasher = hasher;
        this.workers = workers;
    }

    /** A client under management: as stored, and its registration record if it was registered here. */
    private record Target(ClientRegistration client, RegistrationStore.Managed managed) {
        Optional<RegistrationStore.Record> record() {
            return managed.record();
        }
    }

    /**
     * RFC 7591 §3: a new client with a server-made id, and its secret if it is confidential.
     *
     * @param actor the initial access token's actor; null for open registration without one
     */
    public Uni<Map<String, Object>> register(ClientMetadata metadata, String actor, RegistrationUris uris) {
        String clientId = RegistrationCredentials.clientId();
        boolean confidential = metadata.authMethod() != TokenEndpointAuthMethod.NONE;
        metadata.toClient(clientId, confidential ? NOT_YET_HASHED : null);
        String secret = confidential ? RegistrationCredentials.clientSecret() : null;
        String token = RegistrationCredentials.accessToken();
        return hash(secret).flatMap(secretHash -> {
            ClientRegistration client = metadata.toClient(clientId, secretHash);
            AuditEvent event = event(AuditEventType.CLIENT_REGISTERED, actor, client, metadata.authMethod());
            return calls.guard(pool.withTransaction(tx -> clients.create(tx, client)
                            .chain(() -> store.insert(tx, clientId, RegistrationCredentials.hash(token), metadata.authMethod()))
                            .chain(() -> audit.record(tx, event))
                            .chain(() -> store.find(tx, clientId))))
                    .invoke(() -> committed(event))
                    .map(managed -> ClientInformation.of(client, metadata.authMethod(), managed.orElseThrow().issuedAt(),
                            secret, token, uris.client(clientId)));
        });
    }

    /** RFC 7592 §2.1. */
    public Uni<Map<String, Object>> read(String clientId, Manager manager, RegistrationUris uris) {
        return target(clientId, manager).map(target -> ClientInformation.of(target.client(), method(target), target.managed().issuedAt(),
                null, manager instanceof Holder holder ? holder.token() : null, uris.client(clientId)));
    }

    /** RFC 7592 §2.2: the metadata replace the client's; the registration access token is rotated. */
    public Uni<Map<String, Object>> update(String clientId, ClientMetadata metadata, Manager manager, RegistrationUris uris) {
        return target(clientId, manager).flatMap(target -> {
            RegistrationStore.Record record = target.record().orElseThrow(() -> OAuthError.ACCESS_DENIED.withDescription(
                    "This client is declared in the realm file: change it there (RFC 7592 updates are for registered clients)."));
            if (metadata.clientId() == null) {
                throw OAuthError.INVALID_CLIENT_METADATA.withDescription("client_id is required in an update (RFC 7592 2.2).");
            }
            if (!metadata.clientId().equals(clientId)) {
                throw OAuthError.INVALID_CLIENT_METADATA.withDescription("client_id does not name the client being updated.");
            }
            ClientRegistration stored = target.client();
            if (metadata.clientSecret() != null && stored.isPublic()) {
                throw OAuthError.INVALID_CLIENT_METADATA.withDescription("client_secret: this client has no secret.");
            }
            boolean confidential = metadata.authMethod() != TokenEndpointAuthMethod.NONE;
            metadata.toClient(clientId, confidential ? NOT_YET_HASHED : null);
            // A confidential client keeps its secret; one that becomes confidential gets one, shown in this answer only.
            String newSecret = confidential && stored.isPublic() ? RegistrationCredentials.clientSecret() : null;
            String token = RegistrationCredentials.accessToken();
            return currentSecretMatches(metadata.clientSecret(), stored)
                    .flatMap(ignored -> newSecret != null ? hash(newSecret)
                            : Uni.createFrom().item(confidential ? stored.secretHash() : null))
                    .flatMap(secretHash -> {
                        ClientRegistration client = metadata.toClient(clientId, secretHash);
                        AuditEvent event = event(AuditEventType.CLIENT_UPDATED, manager.actor(clientId), client, metadata.authMethod());
                        return calls.guard(pool.withTransaction(tx -> store.replace(tx, clientId, record.accessTokenHash(),
                                        RegistrationCredentials.hash(token), metadata.authMethod())
                                        .call(replaced -> replaced ? clients.save(tx, client).chain(() -> audit.record(tx, event))
                                                : Uni.createFrom().voidItem())))
                                .map(replaced -> {
                                    if (!replaced) {
                                        throw changedMeanwhile();
                                    }
                                    committed(event);
                                    return ClientInformation.of(client, metadata.authMethod(), target.managed().issuedAt(), newSecret,
                                            token, uris.client(clientId));
                                });
                    });
        });
    }

    /** RFC 7592 §2.3: the client, its registration and (by cascade) its consents are gone. */
    public Uni<Void> delete(String clientId, Manager manager) {
        return target(clientId, manager).flatMap(target -> {
            AuditEvent event = AuditEvent.of(AuditEventType.CLIENT_DELETED, manager.actor(clientId), null, clientId)
                    .with("registered", target.record().isPresent());
            return calls.guard(pool.withTransaction(tx -> target.record()
                            .map(record -> store.lock(tx, clientId, record.accessTokenHash()))
                            .orElse(Uni.createFrom().item(true))
                            .flatMap(locked -> locked ? clients.delete(tx, clientId) : Uni.createFrom().item(false))
                            .call(deleted -> deleted ? audit.record(tx, event) : Uni.createFrom().voidItem())))
                    .invoke(deleted -> {
                        if (!deleted) {
                            throw changedMeanwhile();
                        }
                        committed(event);
                    })
                    .replaceWithVoid();
        });
    }

    /**
     * The client, if the manager may manage it. Every refusal is the same 401 (RFC 7592 §2.1: a client that does not
     * exist is answered like a wrong token), so a token holder learns nothing about other clients.
     */
    private Uni<Target> target(String clientId, Manager manager) {
        return calls.guard(clients.findAll(pool, List.of(clientId))
                        .flatMap(found -> store.find(pool, clientId).map(managed -> Optional.ofNullable(found.get(clientId))
                                .flatMap(client -> managed.map(m -> new Target(client, m))))))
                .map(target -> {
                    boolean allowed = manager instanceof Holder holder
                            ? RegistrationCredentials.matches(holder.token(),
                                    target.flatMap(Target::record).map(RegistrationStore.Record::accessTokenHash).orElse(null))
                            : target.isPresent();
                    if (!allowed) {
                        throw new AdminAuthException(Reason.INVALID_TOKEN,
                                "The token does not grant access to this client, or the client does not exist.", null);
                    }
                    return target.orElseThrow();
                });
    }

    /** The body's client_secret, when an update repeats it, must be the current one (RFC 7592 §2.2). */
    private Uni<Void> currentSecretMatches(String presented, ClientRegistration stored) {
        if (presented == null) {
            return Uni.createFrom().voidItem();
        }
        return workers.run(() -> hasher.verify(presented.toCharArray(), stored.secretHash())).map(matches -> {
            if (!matches) {
                throw OAuthError.INVALID_CLIENT_METADATA.withDescription("client_secret is not this client's current secret.");
            }
            return null;
        });
    }

    private Uni<String> hash(String secret) {
        return secret == null ? Uni.createFrom().item((String) null) : workers.run(() -> hasher.hash(secret.toCharArray()));
    }

    private static TokenEndpointAuthMethod method(Target target) {
        return target.record().map(RegistrationStore.Record::authMethod)
                .orElse(TokenEndpointAuthMethod.implied(target.client().type()));
    }

    /** What a reader of the trail needs to know of the client; never its secret or token. */
    private static AuditEvent event(AuditEventType type, String actor, ClientRegistration client, TokenEndpointAuthMethod method) {
        return AuditEvent.of(type, actor, null, client.clientId())
                .with("client_name", client.name())
                .with("application_type", client.applicationType().value())
                .with("token_endpoint_auth_method", method.value())
                .with("grant_types", Arrays.stream(GrantType.values()).filter(client::allows).map(GrantType::value).toList())
                .with("redirect_uris", client.redirectUris());
    }

    /** After commit: this replica's cache at once (the others on PostgreSQL's notification), then the log line. */
    private void committed(AuditEvent event) {
        clients.changed(event.clientId());
        audit.log(event);
    }

    /** Another request rotated the token or deleted the client between the check and the change. */
    private static AdminAuthException changedMeanwhile() {
        return new AdminAuthException(Reason.INVALID_TOKEN, "The registration access token was rotated or the client deleted meanwhile.", null);
    }
}
