package io.latchkey.model.realm.keycloak;

import java.util.List;
import java.util.Map;

/**
 * The parts of a Keycloak realm export ({@code kc.sh export}, Keycloak's RealmRepresentation) that the
 * conversion reads. Keycloak writes hundreds of other settings; the mapper ignores them, and
 * {@link KeycloakExport} reports the ones that matter for a migration and cannot be carried over.
 */
record KeycloakRealm(
        String realm,
        String keycloakVersion,
        String defaultSignatureAlgorithm,
        List<User> users,
        List<Client> clients,
        List<IdentityProvider> identityProviders,
        Roles roles,
        List<Group> groups,
        Map<String, List<Component>> components) {

    record User(
            String id,
            String username,
            Boolean enabled,
            String firstName,
            String lastName,
            String email,
            Boolean emailVerified,
            Map<String, List<String>> attributes,
            List<Credential> credentials,
            List<String> requiredActions,
            List<FederatedIdentity> federatedIdentities,
            List<String> realmRoles,
            Map<String, List<String>> clientRoles,
            List<String> groups,
            String serviceAccountClientId,
            String federationLink) {
    }

    /**
     * A stored credential. {@code secretData} and {@code credentialData} are JSON documents written as
     * strings, e.g. {@code {"value":"<hash>","salt":"<salt>","additionalParameters":{}}} and
     * {@code {"hashIterations":210000,"algorithm":"pbkdf2-sha512","additionalParameters":{}}}.
     */
    record Credential(String type, String userLabel, String secretData, String credentialData) {
    }

    record FederatedIdentity(String identityProvider, String userId, String userName) {
    }

    record Client(
            String clientId,
            String name,
            Boolean enabled,
            String protocol,
            Boolean publicClient,
            Boolean bearerOnly,
            String clientAuthenticatorType,
            String secret,
            String rootUrl,
            List<String> redirectUris,
            List<String> webOrigins,
            Boolean standardFlowEnabled,
            Boolean implicitFlowEnabled,
            Boolean directAccessGrantsEnabled,
            Boolean serviceAccountsEnabled,
            Boolean consentRequired,
            Map<String, String> attributes,
            List<ProtocolMapper> protocolMappers,
            List<String> defaultClientScopes,
            List<String> optionalClientScopes) {
    }

    record ProtocolMapper(String name, String protocolMapper) {
    }

    record IdentityProvider(String alias, String providerId) {
    }

    record Roles(List<Role> realm) {
    }

    record Role(String name) {
    }

    record Group(String name, String path) {
    }

    record Component(String name, String providerId) {
    }
}
