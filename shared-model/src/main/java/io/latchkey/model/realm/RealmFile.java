package io.latchkey.model.realm;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shape of a realm file (YAML or JSON): the clients and users to load. Unknown keys are errors, so
 * a misspelt setting is reported instead of silently ignored.
 */
public record RealmFile(List<Client> clients, List<UserEntry> users) {

    public RealmFile {
        clients = clients == null ? List.of() : clients;
        users = users == null ? List.of() : users;
    }

    /**
     * @param secret      plain-text secret: hashed on import, with a warning
     * @param secretHash  PHC/bcrypt hash of the secret
     * @param applicationType  {@code web} (default) or {@code native} (OIDC Dynamic Registration §2); only a
     *                         native client's loopback redirect may use any port (RFC 8252 §7.3)
     * @param resourceServer  true for an API that introspects other clients' tokens (confidential only)
     * @param secondFactor  {@code off}, {@code optional} or {@code required}; absent: the realm's setting
     * @param dpop  {@code allowed} (absent) or {@code required}: every token request carries a DPoP proof
     * @param requirePushedAuthorizationRequests  true: /authorize takes this client's requests only through PAR
     * @param refreshReuseGrace  how long a rotated refresh token may come back for the same successor (at most 10 s)
     */
    public record Client(
            @JsonProperty(required = true) String clientId,
            String name,
            @JsonProperty(required = true) String type,
            String secret,
            String secretHash,
            List<String> redirectUris,
            List<String> postLogoutRedirectUris,
            List<String> webOrigins,
            Set<String> scopes,
            Set<String> grantTypes,
            Boolean firstParty,
            String signingAlg,
            Duration accessTokenLifetime,
            Duration refreshTokenLifetime,
            String applicationType,
            Boolean resourceServer,
            String secondFactor,
            String dpop,
            Boolean requirePushedAuthorizationRequests,
            Duration refreshReuseGrace) {

        public Client(String clientId, String name, String type, String secret, String secretHash, List<String> redirectUris,
                List<String> postLogoutRedirectUris, List<String> webOrigins, Set<String> scopes, Set<String> grantTypes,
                Boolean firstParty, String signingAlg, Duration accessTokenLifetime, Duration refreshTokenLifetime,
                String applicationType, Boolean resourceServer, String secondFactor) {
            this(clientId, name, type, secret, secretHash, redirectUris, postLogoutRedirectUris, webOrigins, scopes, grantTypes,
                    firstParty, signingAlg, accessTokenLifetime, refreshTokenLifetime, applicationType, resourceServer,
                    secondFactor, null, null, null);
        }

        public Client(String clientId, String name, String type, String secret, String secretHash, List<String> redirectUris,
                List<String> postLogoutRedirectUris, List<String> webOrigins, Set<String> scopes, Set<String> grantTypes,
                Boolean firstParty, String signingAlg, Duration accessTokenLifetime, Duration refreshTokenLifetime,
                String applicationType, Boolean resourceServer) {
            this(clientId, name, type, secret, secretHash, redirectUris, postLogoutRedirectUris, webOrigins, scopes, grantTypes,
                    firstParty, signingAlg, accessTokenLifetime, refreshTokenLifetime, applicationType, resourceServer, null);
        }
    }

    /**
     * @param id        the subject identifier; defaults to the username
     * @param password  plain-text password: hashed on import, with a warning
     */
    public record UserEntry(
            String id,
            @JsonProperty(required = true) String username,
            String password,
            String passwordHash,
            Boolean enabled,
            Map<String, Object> claims) {
    }
}
