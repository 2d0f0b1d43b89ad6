package io.latchkey.model.realm.keycloak;

import io.latchkey.model.domain.ClientRules;
import io.latchkey.model.domain.RedirectUri;
import io.latchkey.model.realm.RealmFile;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The clients of a Keycloak export as realm-file clients; see {@link KeycloakExport} for the mapping. */
final class KeycloakClients {

    /** The clients Keycloak creates in every realm for its own consoles, CLI and brokering. */
    static final Set<String> BUILT_IN = Set.of("account", "account-console", "admin-cli", "broker", "realm-management",
            "security-admin-console");

    /** Keycloak's client scopes that are Latchkey scopes too. */
    private static final Set<String> CARRIED_SCOPES = Set.of("profile", "email", "offline_access");

    /** Keycloak's built-in client scopes without a Latchkey counterpart: reported once, not per client. */
    private static final Set<String> KEYCLOAK_SCOPES = Set.of("web-origins", "acr", "roles", "basic", "address", "phone",
            "microprofile-jwt", "organization", "service_account", "role_list", "saml_organization");


    /** Keycloak's masked secret, as the admin console's partial export writes it. */
    private static final String MASKED = "**********";

    private final KeycloakExport.Converter converter;
    private final Set<String> keycloakScopesSeen = new TreeSet<>();
    private final List<String> defaultScopeClients = new ArrayList<>();

    KeycloakClients(KeycloakExport.Converter converter) {
        this.converter = converter;
    }

    List<RealmFile.Client> convert() {
        List<KeycloakRealm.Client> clients = converter.realm.clients();
        List<RealmFile.Client> entries = new ArrayList<>();
        List<String> builtIn = new ArrayList<>();
        for (int k = 0; k < clients.size(); k++) {
            String at = converter.prefix + "clients[" + k + "]";
            KeycloakRealm.Client c = clients.get(k);
            if (c == null || c.clientId() == null || c.clientId().isBlank()) {
                throw converter.error(at + ".clientId", "expected a client id");
            }
            if (BUILT_IN.contains(c.clientId())) {
                builtIn.add(c.clientId());
                continue;
            }
            RealmFile.Client entry = client(at, c);
            if (entry != null) {
                entries.add(entry);
                converter.clientOrigins.add(new KeycloakExport.Origin(at, c.clientId()));
            }
        }
        if (!builtIn.isEmpty()) {
            converter.skipped.add("Keycloak's built-in clients " + builtIn + ": they serve Keycloak's account and admin "
                    + "consoles, admin CLI and brokering, which Latchkey does not have");
        }
        if (!keycloakScopesSeen.isEmpty()) {
            converter.skipped.add("Keycloak's client scopes " + keycloakScopesSeen + ": Latchkey's scopes are openid, "
                    + "profile, email and offline_access, and each client keeps those of them it had");
        }
        if (!defaultScopeClients.isEmpty()) {
            converter.warnings.add("Clients " + defaultScopeClients + ": Keycloak put their default scopes' claims "
                    + "(profile, email) in every token, asked for or not; Latchkey releases the scopes an application "
                    + "requests, so an application that never asked for them must add them to its scope parameter");
        }
        return entries;
    }

    /** The realm-file client, or null when the client is left out (with a warning saying why). */
    private RealmFile.Client client(String at, KeycloakRealm.Client c) {
        String id = c.clientId();
        String label = at + " '" + id + "'";
        Map<String, String> attributes = c.attributes() == null ? Map.of() : c.attributes();
        String protocol = c.protocol() == null ? "openid-connect" : c.protocol();
        if (!protocol.equals("openid-connect")) {
            converter.warnings.add(label + ": not imported: a " + protocol + " client, and Latchkey speaks OpenID Connect only");
            return null;
        }
        if (Boolean.FALSE.equals(c.enabled())) {
            converter.warnings.add(label + ": not imported: it is disabled in Keycloak, and a Latchkey client has no "
                    + "disabled state, so importing it would let it be used");
            return null;
        }
        if (Boolean.TRUE.equals(c.bearerOnly())) {
            converter.warnings.add(label + ": not imported: a bearer-only client signs no one in; if it introspects "
                    + "tokens, declare it as a confidential client with a secret and resourceServer: true");
            return null;
        }
        boolean isPublic = Boolean.TRUE.equals(c.publicClient());
        String secret = null;
        if (!isPublic) {
            String authenticator = c.clientAuthenticatorType() == null ? "client-secret" : c.clientAuthenticatorType();
            if (!authenticator.equals("client-secret")) {
                throw converter.error(at + ".clientAuthenticatorType", "client '" + id + "' authenticates with '"
                        + authenticator + "'; Latchkey accepts client secrets only (client_secret_basic, "
                        + "client_secret_post): give the client a secret in Keycloak and export again, or remove it from the export");
            }
            secret = c.secret();
            if (MASKED.equals(secret)) {
                throw converter.error(at + ".secret", "client '" + id + "' has a masked secret ('" + MASKED + "'), as the "
                        + "admin console's partial export writes it; export with kc.sh export, which writes secrets");
            }
            if (secret == null || secret.isEmpty()) {
                throw converter.error(at + ".secret", "client '" + id + "' is confidential but the export holds no secret");
            }
        }

        Set<String> grants = new LinkedHashSet<>();
        if (!Boolean.FALSE.equals(c.standardFlowEnabled())) {
            grants.add("authorization_code");
            if (!"false".equals(attributes.get("use.refresh.tokens"))) {
                grants.add("refresh_token");
            }
        }
        if (Boolean.TRUE.equals(c.serviceAccountsEnabled())) {
            grants.add("client_credentials");
        }
        unsupportedGrants(label, c, attributes);
        if (grants.isEmpty()) {
            converter.warnings.add(label + ": not imported: it uses none of the grants Latchkey offers (authorization "
                    + "code, client credentials)");
            return null;
        }
        boolean codeFlow = grants.contains("authorization_code");
        if (codeFlow) {
            pkce(at, label, id, attributes);
            if (c.defaultClientScopes() != null && (c.defaultClientScopes().contains("profile")
                    || c.defaultClientScopes().contains("email"))) {
                defaultScopeClients.add(id);
            }
        }

        List<String> redirectUris = List.of();
        List<String> postLogout = null;
        List<String> webOrigins = List.of();
        if (codeFlow) {
            List<String> declared = c.redirectUris() == null ? List.of() : c.redirectUris();
            redirectUris = new ArrayList<>();
            for (int i = 0; i < declared.size(); i++) {
                redirectUris.add(uri(at + ".redirectUris[" + i + "]", id, "redirect URI", declared.get(i), c.rootUrl()));
            }
            webOrigins = webOrigins(at, id, c.webOrigins(), redirectUris);
            postLogout = postLogout(at, id, attributes.get("post.logout.redirect.uris"), redirectUris, c.rootUrl());
            loopback(label, isPublic, redirectUris);
        } else if ((c.redirectUris() != null && !c.redirectUris().isEmpty()) || (c.webOrigins() != null && !c.webOrigins().isEmpty())) {
            converter.skipped.add(label + ": its redirect URIs and web origins, since the standard flow is off for it");
        }

        if (c.protocolMappers() != null && !c.protocolMappers().isEmpty()) {
            converter.warnings.add(label + ": its protocol mappers " + c.protocolMappers().stream()
                    .map(m -> m.name() + " (" + m.protocolMapper() + ")").toList() + " are not carried over: Latchkey's "
                    + "tokens carry the standard claims of the granted scopes");
        }
        String name = c.name();
        if (name != null && name.startsWith("${")) {
            converter.skipped.add(label + ": its name '" + name + "' is a key of Keycloak's message bundles, not a name");
            name = null;
        }
        return new RealmFile.Client(id, name, isPublic ? "public" : "confidential", secret, null, redirectUris, postLogout,
                webOrigins, scopes(label, c), grants, !Boolean.TRUE.equals(c.consentRequired()), signingAlg(label, attributes),
                lifetime(at, id, attributes), null, null, null);
    }

    private void unsupportedGrants(String label, KeycloakRealm.Client c, Map<String, String> attributes) {
        List<String> unsupported = new ArrayList<>();
        if (Boolean.TRUE.equals(c.implicitFlowEnabled())) {
            unsupported.add("implicit flow");
        }
        if (Boolean.TRUE.equals(c.directAccessGrantsEnabled())) {
            unsupported.add("direct access grants (resource owner password)");
        }
        if ("true".equals(attributes.get("oauth2.device.authorization.grant.enabled"))) {
            unsupported.add("device authorization grant");
        }
        if ("true".equals(attributes.get("oidc.ciba.grant.enabled"))) {
            unsupported.add("CIBA");
        }
        if ("true".equals(attributes.get("standard.token.exchange.enabled"))) {
            unsupported.add("token exchange");
        }
        if (!unsupported.isEmpty()) {
            converter.warnings.add(label + ": " + String.join(", ", unsupported) + " enabled in Keycloak, not offered by "
                    + "Latchkey: an application relying on " + (unsupported.size() == 1 ? "it" : "them") + " will fail");
        }
    }

    /** Latchkey requires S256 from every client; plain would be weaker than what the app already does. */
    private void pkce(String at, String label, String id, Map<String, String> attributes) {
        String method = attributes.get("pkce.code.challenge.method");
        if (method == null || method.isEmpty()) {
            converter.warnings.add(label + ": Keycloak did not require PKCE from it; Latchkey requires S256 from every "
                    + "client, so the application must send code_challenge (S256) and code_verifier");
        } else if (!method.equals("S256")) {
            throw converter.error(at + ".attributes", "client '" + id + "' uses PKCE method '" + method + "' "
                    + "(pkce.code.challenge.method); Latchkey accepts S256 only, since plain does not protect a code "
                    + "that is intercepted (RFC 7636 §7.2): switch the client and its application to S256, then export again");
        }
    }

    /**
     * A redirect or post-logout URI as Latchkey compares it: exactly. Keycloak's patterns ({@code *}) match
     * many URIs and a relative URI is resolved against the client's root URL.
     */
    private String uri(String path, String id, String what, String value, String rootUrl) {
        if (value == null || value.isBlank()) {
            throw converter.error(path, "client '" + id + "' has an empty " + what);
        }
        if (value.contains("*")) {
            throw converter.error(path, "client '" + id + "' has the wildcard " + what + " '" + value + "'; Latchkey "
                    + "compares redirect URIs exactly (RFC 9700 §4.1.3), so list every URI the application uses in "
                    + "Keycloak (or in the export) instead of the pattern");
        }
        if (value.startsWith("/")) {
            if (rootUrl == null || rootUrl.isBlank() || rootUrl.contains("${")) {
                throw converter.error(path, "client '" + id + "' has the relative " + what + " '" + value
                        + "' and no root URL to resolve it against; write it in full");
            }
            return rootUrl.replaceAll("/+$", "") + value;
        }
        return value;
    }

    private List<String> webOrigins(String at, String id, List<String> declared, List<String> redirectUris) {
        if (declared == null) {
            return List.of();
        }
        Set<String> origins = new LinkedHashSet<>();
        for (int i = 0; i < declared.size(); i++) {
            String origin = declared.get(i);
            if ("+".equals(origin)) {
                redirectUris.stream().map(RedirectUri::originOf).flatMap(Optional::stream).forEach(origins::add);
            } else if (origin != null && origin.contains("*")) {
                throw converter.error(at + ".webOrigins[" + i + "]", "client '" + id + "' allows the web origin '" + origin
                        + "' (any origin); Latchkey lists allowed origins exactly: name each one");
            } else {
                origins.add(origin);
            }
        }
        return new ArrayList<>(origins);
    }

    /** Keycloak's {@code post.logout.redirect.uris}: URIs joined by {@code ##}, {@code +} for the redirect URIs. */
    private List<String> postLogout(String at, String id, String attribute, List<String> redirectUris, String rootUrl) {
        if (attribute == null || attribute.isBlank()) {
            return List.of();
        }
        Set<String> uris = new LinkedHashSet<>();
        for (String value : attribute.split("##")) {
            if (value.equals("+")) {
                uris.addAll(redirectUris);
            } else if (!value.isBlank()) {
                uris.add(uri(at + ".attributes", id, "post-logout redirect URI", value, rootUrl));
            }
        }
        return new ArrayList<>(uris);
    }

    /** Keycloak lets a loopback redirect URI take any port; Latchkey does so for native clients only. */
    private void loopback(String label, boolean isPublic, List<String> redirectUris) {
        for (String uri : redirectUris) {
            String host = RedirectUri.parse(uri).map(URI::getHost).orElse("");
            if (isPublic && (host.equals("127.0.0.1") || host.equals("[::1]"))) {
                converter.warnings.add(label + ": the loopback redirect URI '" + uri + "' is matched exactly, port "
                        + "included; if the application is a native app that picks its port, add applicationType: native");
                return;
            }
        }
    }

    private Set<String> scopes(String label, KeycloakRealm.Client c) {
        if (c.defaultClientScopes() == null && c.optionalClientScopes() == null) {
            return null;
        }
        Set<String> scopes = new LinkedHashSet<>();
        scopes.add("openid");
        List<String> custom = new ArrayList<>();
        for (List<String> list : List.of(c.defaultClientScopes() == null ? List.<String>of() : c.defaultClientScopes(),
                c.optionalClientScopes() == null ? List.<String>of() : c.optionalClientScopes())) {
            for (String scope : list) {
                if (CARRIED_SCOPES.contains(scope)) {
                    scopes.add(scope);
                } else if (KEYCLOAK_SCOPES.contains(scope)) {
                    keycloakScopesSeen.add(scope);
                } else if (!scope.equals("openid")) {
                    custom.add(scope);
                }
            }
        }
        if (!custom.isEmpty()) {
            converter.warnings.add(label + ": client scopes " + custom + " are not carried over: Latchkey's scopes are "
                    + "openid, profile, email and offline_access");
        }
        return scopes;
    }

    /** The ID token's algorithm: the client's own, else the realm's default; RS256 when neither is Latchkey's. */
    private String signingAlg(String label, Map<String, String> attributes) {
        String idToken = attributes.get("id.token.signed.response.alg");
        String accessToken = attributes.get("access.token.signed.response.alg");
        String alg = idToken != null && !idToken.isEmpty() ? idToken
                : accessToken != null && !accessToken.isEmpty() ? accessToken : converter.realm.defaultSignatureAlgorithm();
        if (alg == null || alg.isEmpty()) {
            return null;
        }
        if (!ClientRules.SIGNING_ALGORITHMS.contains(alg)) {
            converter.warnings.add(label + ": Keycloak signs its tokens with " + alg + ", which Latchkey does not offer; "
                    + "it gets RS256 (an application that pins the algorithm must change)");
            return null;
        }
        if (accessToken != null && !accessToken.isEmpty() && !accessToken.equals(alg)) {
            converter.warnings.add(label + ": Keycloak signs its access tokens with " + accessToken + " and ID tokens with "
                    + alg + "; Latchkey signs both with " + alg);
        }
        return alg;
    }

    private Duration lifetime(String at, String id, Map<String, String> attributes) {
        String seconds = attributes.get("access.token.lifespan");
        if (seconds == null || seconds.isBlank()) {
            return null;
        }
        try {
            long value = Long.parseLong(seconds.trim());
            return value > 0 ? Duration.ofSeconds(value) : null;
        } catch (NumberFormatException e) {
            throw converter.error(at + ".attributes", "client '" + id + "' has access.token.lifespan '" + seconds
                    + "', expected a number of seconds");
        }
    }
}
