package io.latchkey.model.client;

import io.latchkey.model.directory.ClientDirectory;
import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.form.Parameters;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Client authentication at the token endpoints (RFC 6749 §2.3) and the pushed authorization request endpoint
 * (RFC 9126 §2: the same methods as the token endpoint): {@code none} for public clients (the
 * client_id parameter identifies them, RFC 6749 §3.2.1), {@code client_secret_basic} and
 * {@code client_secret_post} for confidential ones. Every failure is 401 invalid_client (RFC 6749 §5.2),
 * with the same description whether the client is unknown or the secret wrong.
 */
@ApplicationScoped
public class ClientAuthenticator {

    private static final String FAILED = "Client authentication failed.";

    private final ClientDirectory clients;
    private final SecretVerifier secrets;

    public ClientAuthenticator(ClientDirectory clients, SecretVerifier secrets) {
        this.clients = clients;
        this.secrets = secrets;
    }

    /** The client's identity as presented, before it is checked. */
    record Credentials(String clientId, Optional<String> secret) {
    }

    public Uni<ClientRegistration> authenticate(String authorization, Parameters form) {
        Credentials credentials;
        try {
            credentials = credentials(authorization, form);
        } catch (OAuthException e) {
            return Uni.createFrom().failure(e);
        }
        return clients.find(credentials.clientId()).flatMap(found -> {
            if (credentials.secret().isEmpty()) {
                // Method none (RFC 6749 §2.1, §3.2.1): only a public client is identified by its id alone. A
                // confidential client without its secret is answered like an id nobody registered.
                return found.filter(ClientRegistration::isPublic)
                        .map(client -> Uni.createFrom().item(client))
                        .orElseGet(ClientAuthenticator::failed);
            }
            // A secret: only a confidential client's own matches. An unknown id and a public client (which has
            // no credentials, §2.1) pay one hash too, so that neither the answer nor its time tells which ids
            // exist or which are public (RFC 6749 §10.10: guessing client credentials must be prevented).
            Optional<ClientRegistration> confidential = found.filter(client -> !client.isPublic());
            Uni<Boolean> check = confidential.isPresent()
                    ? secrets.verify(confidential.get(), credentials.secret().get())
                    : secrets.verifyWithoutClient(credentials.clientId(), credentials.secret().get());
            return check.flatMap(ok -> ok ? Uni.createFrom().item(confidential.get()) : failed());
        });
    }

    /**
     * A client that must be confidential (introspection, RFC 7662 §2.1). A public client is refused with the
     * same answer as any failed authentication: which ids are public is nobody's business here.
     */
    public Uni<ClientRegistration> authenticateConfidential(String authorization, Parameters form) {
        return authenticate(authorization, form).flatMap(client -> client.isPublic() ? failed() : Uni.createFrom().item(client));
    }

    /** RFC 6749 §5.2 invalid_client, one description for every cause. */
    private static <T> Uni<T> failed() {
        return Uni.createFrom().failure(OAuthError.INVALID_CLIENT.withDescription(FAILED));
    }

    static Credentials credentials(String authorization, Parameters form) {
        Optional<String> formId = form.single("client_id");
        Optional<String> formSecret = form.single("client_secret");
        if (authorization != null && !authorization.isBlank()) {
            if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
                throw OAuthError.INVALID_CLIENT.withDescription("Only the Basic authentication scheme is supported.");
            }
            // RFC 6749 §2.3: a client MUST NOT use more than one authentication method in a request.
            if (formSecret.isPresent()) {
                throw OAuthError.INVALID_REQUEST.withDescription("Use either client_secret_basic or client_secret_post, not both.");
            }
            String[] idAndSecret = basic(authorization.substring(6).trim());
            if (formId.isPresent() && !formId.get().equals(idAndSecret[0])) {
                throw OAuthError.INVALID_REQUEST.withDescription("client_id differs from the authenticated client.");
            }
            return new Credentials(idAndSecret[0], Optional.of(idAndSecret[1]).filter(s -> !s.isEmpty()));
        }
        if (formId.isEmpty()) {
            throw OAuthError.INVALID_CLIENT.withDescription("client_id is required.");
        }
        return new Credentials(formId.get(), formSecret);
    }

    /** RFC 6749 §2.3.1: id and secret are form-encoded, then joined by ':' and Base64-encoded (RFC 7617). */
    private static String[] basic(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon <= 0 || decoded.indexOf('\uFFFD') >= 0) {
                throw OAuthError.INVALID_CLIENT.withDescription("Malformed Basic credentials.");
            }
            // The same strict decoding as every form: broken percent-encoding or control characters are refused,
            // not repaired into an id that then misses the cache and the store.
            return new String[] {
                    Parameters.decodeComponent(decoded.substring(0, colon)),
                    Parameters.decodeComponent(decoded.substring(colon + 1))};
        } catch (IllegalArgumentException | OAuthException e) {
            throw new OAuthException(OAuthError.INVALID_CLIENT, "Malformed Basic credentials.", e);
        }
    }
}
