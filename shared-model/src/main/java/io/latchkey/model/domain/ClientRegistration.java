package io.latchkey.model.domain;

import io.latchkey.model.authn.SecondFactorPolicy;
import io.latchkey.model.dpop.DpopPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A registered client (RFC 6749 §2, OpenID Connect Dynamic Registration §2 for the field meanings).
 *
 * @param secretHash        PHC-format hash of the client secret; null for public clients
 * @param redirectUris      compared by exact string match (RFC 9700 §4.1.3), except the loopback ports of
 *                          native clients (RFC 8252 §7.3)
 * @param webOrigins        origins allowed to call the token endpoints from a browser (CORS)
 * @param scopes            the scopes this client may request
 * @param firstParty        a first-party client skips the consent page
 * @param signingAlg        JWS algorithm of its tokens: RS256 (default), ES256 or EdDSA
 * @param accessTokenTtl    null: the configured default
 * @param refreshTokenTtl   idle lifetime of its refresh tokens; null: the configured default
 * @param applicationType   web (the default, also for records stored before the field existed) or native
 * @param resourceServer    a resource server (an API) may introspect any client's tokens (RFC 7662 §2.1);
 *                          any other client only its own; false when absent from a stored record
 * @param secondFactor      whether its sign-ins ask for a second factor; null: the realm's setting
 * @param dpop              whether its token requests must carry a DPoP proof (RFC 9449); null: allowed
 * @param requirePushedAuthorizationRequests  /authorize accepts its requests only through PAR (RFC 9126 §6)
 * @param refreshReuseGrace how long a rotated refresh token presented again yields the same successor instead of
 *                          revoking the family (several tabs refreshing at once); null or zero: never
 */
public record ClientRegistration(
        String clientId,
        String name,
        ClientType type,
        String secretHash,
        List<String> redirectUris,
        List<String> postLogoutRedirectUris,
        List<String> webOrigins,
        Set<String> scopes,
        Set<GrantType> grantTypes,
        boolean firstParty,
        String signingAlg,
        Duration accessTokenTtl,
        Duration refreshTokenTtl,
        ApplicationType applicationType,
        boolean resourceServer,
        SecondFactorPolicy secondFactor,
        DpopPolicy dpop,
        boolean requirePushedAuthorizationRequests,
        Duration refreshReuseGrace) {

    public static final int VERSION = 1;

    public ClientRegistration {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(type, "type");
        name = name == null ? clientId : name;
        redirectUris = List.copyOf(Objects.requireNonNullElse(redirectUris, List.of()));
        postLogoutRedirectUris = List.copyOf(Objects.requireNonNullElse(postLogoutRedirectUris, List.of()));
        webOrigins = List.copyOf(Objects.requireNonNullElse(webOrigins, List.of()));
        scopes = Set.copyOf(Objects.requireNonNullElse(scopes, Set.of()));
        grantTypes = Set.copyOf(Objects.requireNonNullElse(grantTypes, Set.of(GrantType.AUTHORIZATION_CODE)));
        signingAlg = signingAlg == null ? "RS256" : signingAlg;
        applicationType = applicationType == null ? ApplicationType.WEB : applicationType;
        dpop = dpop == null ? DpopPolicy.ALLOWED : dpop;
        refreshReuseGrace = refreshReuseGrace == null || refreshReuseGrace.isNegative() ? Duration.ZERO : refreshReuseGrace;
    }

    public ClientRegistration(String clientId, String name, ClientType type, String secretHash, List<String> redirectUris,
            List<String> postLogoutRedirectUris, List<String> webOrigins, Set<String> scopes, Set<GrantType> grantTypes,
            boolean firstParty, String signingAlg, Duration accessTokenTtl, Duration refreshTokenTtl,
            ApplicationType applicationType, boolean resourceServer, SecondFactorPolicy secondFactor) {
        this(clientId, name, type, secretHash, redirectUris, postLogoutRedirectUris, webOrigins, scopes, grantTypes, firstParty,
                signingAlg, accessTokenTtl, refreshTokenTtl, applicationType, resourceServer, secondFactor, null, false, null);
    }

    public ClientRegistration(String clientId, String name, ClientType type, String secretHash, List<String> redirectUris,
            List<String> postLogoutRedirectUris, List<String> webOrigins, Set<String> scopes, Set<GrantType> grantTypes,
            boolean firstParty, String signingAlg, Duration accessTokenTtl, Duration refreshTokenTtl,
            ApplicationType applicationType, boolean resourceServer) {
        this(clientId, name, type, secretHash, redirectUris, postLogoutRedirectUris, webOrigins, scopes, grantTypes, firstParty,
                signingAlg, accessTokenTtl, refreshTokenTtl, applicationType, resourceServer, null);
    }

    public boolean isPublic() {
        return type == ClientType.PUBLIC;
    }

    /** Only a native app may use any port of its loopback redirect (RFC 8252 §7.3). */
    public boolean isNative() {
        return applicationType == ApplicationType.NATIVE;
    }

    public boolean allows(GrantType grantType) {
        return grantTypes.contains(grantType);
    }
}
