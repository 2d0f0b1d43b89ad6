package io.latchkey.token.client;

import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.form.Parameters;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Client authentication at the token endpoints (RFC 6749 §2.3): {@code none} for public clients (the
 * client_id parameter identifies them, RFC 6749 §3.2.1), {@code client_secret_basic} and
 * {@code client_secret_post} for confidential ones. Every failure is 401 invalid_client (RFC 6749 §5.2),
 * with the same description whether the client is unknown or the secret wrong.
 */
@ApplicationScoped
public class ClientAuthenticator {

    private static final String FAILED = "Client authentication failed.";

    private final ClientCache clients;
    private final SecretVerifier secrets;

    public ClientAuthenticator(ClientCache clients, SecretVerifier secrets) {
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
            if (found.isEmpty()) {
                return Uni.createFrom().failure(OAuthError.INVALID_CLIENT.withDescription(FAILED));
            }
            ClientRegistration client = found.get();
            if (client.isPublic()) {
                // RFC 6749 §2.1: a public client has no credentials; one that sends a secret is misconfigured.
                return credentials.secret().isPresent()
                        ? Uni.createFrom().failure(OAuthError.INVALID_CLIENT.withDescription("A public client must not send a client secret."))
                        : Uni.createFrom().item(client);
            }
            if (credentials.secret().isEmpty()) {
                return Uni.createFrom().failure(OAuthError.INVALID_CLIENT.withDescription(
                        "A confidential client must authenticate with client_secret_basic or client_secret_post."));
            }
            return secrets.verify(client, credentials.secret().get()).flatMap(ok -> ok
                    ? Uni.createFrom().item(client)
                    : Uni.createFrom().failure(OAuthError.INVALID_CLIENT.withDescription(FAILED)));
        });
    }

    /** A client that must be confidential (introspection, RFC 7662 §2.1). */
    public Uni<ClientRegistration> authenticateConfidential(String authorization, Parameters form) {
        return authenticate(authorization, form).flatMap(client -> client.isPublic()
                ? Uni.createFrom().failure(OAuthError.INVALID_CLIENT.withDescription("Only confidential clients may call this endpoint."))
                : Uni.createFrom().item(client));
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
            if (colon <= 0) {
                throw OAuthError.INVALID_CLIENT.withDescription("Malformed Basic credentials.");
            }
            return new String[] {
                    URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
        } catch (IllegalArgumentException e) {
            throw new OAuthException(OAuthError.INVALID_CLIENT, "Malformed Basic credentials.", e);
        }
    }
}
