package io.latchkey.model.domain;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What every client must satisfy, however it is declared: a realm file entry ({@code RealmValidator}) or a dynamic
 * registration (admin-service, RFC 7591/7592). Both build the {@link ClientRegistration} they would store and hand
 * it to {@link #check}, so the authorize and token legs can rely on the same facts about every stored client. Each
 * caller names the broken rule in its own vocabulary (the realm file's {@code redirectUris[0]}, registration's
 * {@code invalid_redirect_uri}) from the {@link Violation}'s field and index.
 *
 * <p>PKCE is not a client setting: authorize-service requires S256 from every client (RFC 9700 §2.1.1), so no
 * registration can turn it off.
 */
public final class ClientRules {

    /** The ID token algorithms token-service signs with. */
    public static final Set<String> SIGNING_ALGORITHMS = Set.of("RS256", "ES256", "EdDSA");
    /** The scopes the provider offers to relying parties (discovery's {@code scopes_supported}), in that order. */
    public static final List<String> OFFERED_SCOPES = List.of("openid", "profile", "email", "offline_access");
    /** http is allowed on these hosts only: a listener on the user's own machine (RFC 8252 §7.3). */
    public static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");
    /** The database keeps client ids of 1 to 255 characters. */
    public static final int MAX_CLIENT_ID = 255;
    /** A refresh reuse grace longer than this would let a stolen rotated token work for a useful while. */
    public static final Duration MAX_REFRESH_REUSE_GRACE = Duration.ofSeconds(10);

    /** The setting a broken rule is about. */
    public enum Field {
        CLIENT_ID, SECRET, GRANT_TYPES, REDIRECT_URIS, POST_LOGOUT_REDIRECT_URIS, WEB_ORIGINS, SIGNING_ALG, RESOURCE_SERVER, REFRESH_REUSE_GRACE
    }

    /** A broken rule: the field, the list index when it is about one entry (else -1), and what was expected. */
    public static final class Violation extends RuntimeException {
        private final Field field;
        private final int index;

        Violation(Field field, int index, String expected) {
            super(expected, null, false, false);
            this.field = field;
            this.index = index;
        }

        public Field field() {
            return field;
        }

        public int index() {
            return index;
        }
    }

    private ClientRules() {
    }

    /** @throws Violation at the first rule the client breaks */
    public static void check(ClientRegistration client) {
        if (client.clientId().isBlank() || client.clientId().length() > MAX_CLIENT_ID) {
            throw new Violation(Field.CLIENT_ID, -1, "expected a client id of 1 to " + MAX_CLIENT_ID + " characters");
        }
        if (client.isPublic() && client.secretHash() != null) {
            throw new Violation(Field.SECRET, -1, "a public client has no secret (RFC 6749 2.1)");
        }
        if (!client.isPublic() && (client.secretHash() == null || client.secretHash().isBlank())) {
            throw new Violation(Field.SECRET, -1, "a confidential client needs a secret");
        }
        if (client.allows(GrantType.CLIENT_CREDENTIALS) && client.isPublic()) {
            throw new Violation(Field.GRANT_TYPES, -1, "client_credentials needs a confidential client");
        }
        redirectUris(Field.REDIRECT_URIS, client.redirectUris(), client.applicationType());
        if (client.allows(GrantType.AUTHORIZATION_CODE) && client.redirectUris().isEmpty()) {
            throw new Violation(Field.REDIRECT_URIS, -1, "an authorization_code client needs at least one redirect URI");
        }
        redirectUris(Field.POST_LOGOUT_REDIRECT_URIS, client.postLogoutRedirectUris(), client.applicationType());
        for (int i = 0; i < client.webOrigins().size(); i++) {
            String o = client.webOrigins().get(i);
            if (!o.equals(RedirectUri.originOf(o).orElse(null))) {
                throw new Violation(Field.WEB_ORIGINS, i, "expected an origin like https://app.example.com (no path), found '" + o + "'");
            }
        }
        if (!SIGNING_ALGORITHMS.contains(client.signingAlg())) {
            throw new Violation(Field.SIGNING_ALG, -1, "expected one of " + SIGNING_ALGORITHMS + ", found '" + client.signingAlg() + "'");
        }
        if (client.resourceServer() && client.isPublic()) {
            throw new Violation(Field.RESOURCE_SERVER, -1,
                    "a resource server authenticates to /introspect (RFC 7662 2.1); make it confidential");
        }
        if (client.refreshReuseGrace().compareTo(MAX_REFRESH_REUSE_GRACE) > 0) {
            throw new Violation(Field.REFRESH_REUSE_GRACE, -1,
                    "expected a refresh reuse grace of at most " + MAX_REFRESH_REUSE_GRACE.toSeconds() + " seconds");
        }
    }

    /**
     * Why a URI cannot be registered as a redirect (or post-logout redirect) URI of a client of this type, if it
     * cannot. RFC 6749 §3.1.2: absolute, no fragment; compared exactly (RFC 9700 §4.1.3), so a {@code *} is never a
     * pattern. https anywhere; http only on a loopback host, where nothing crosses the network; a private-use
     * scheme named after a reverse domain name (RFC 8252 §7.1) only for a native app, since a browser would hand
     * a web client's code to whatever app claimed the scheme, and {@code javascript:} or {@code data:} would run it.
     */
    public static Optional<String> redirectUriProblem(String value, ApplicationType type) {
        Optional<URI> parsed = RedirectUri.parse(value);
        if (parsed.isEmpty()) {
            return Optional.of("expected a URI, found '" + value + "'");
        }
        URI uri = parsed.get();
        if (!uri.isAbsolute() || uri.getRawFragment() != null) {
            return Optional.of("expected an absolute URI without fragment, found '" + value + "'");
        }
        if (!RedirectUri.hasUsableAuthority(uri)) {
            return Optional.of("expected a host and a port from 1 to " + RedirectUri.MAX_PORT + ", found '" + value + "'");
        }
        if (value.contains("*")) {
            return Optional.of("expected an exact URI: redirect URIs are compared exactly, '*' is no wildcard, found '" + value + "'");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return Optional.empty();
        }
        if (scheme.equals("http")) {
            return LOOPBACK_HOSTS.contains(uri.getHost().toLowerCase(Locale.ROOT)) ? Optional.empty()
                    : Optional.of("expected https, or http on a loopback host (" + String.join(", ", LOOPBACK_HOSTS.stream().sorted().toList())
                            + "), found '" + value + "'");
        }
        if (type != ApplicationType.NATIVE) {
            return Optional.of("expected https or loopback http; a private-use scheme is for native applications only, found '"
                    + value + "'");
        }
        if (!scheme.contains(".")) {
            return Optional.of("expected a private-use scheme named after a reverse domain name, like com.example.app:/callback"
                    + " (RFC 8252 7.1), found '" + value + "'");
        }
        return Optional.empty();
    }

    /** The web origins a client gets when none are declared: those of its redirect URIs. */
    public static List<String> originsOf(List<String> redirectUris) {
        return redirectUris.stream().map(RedirectUri::originOf).flatMap(Optional::stream).distinct().collect(Collectors.toList());
    }

    private static void redirectUris(Field field, List<String> uris, ApplicationType type) {
        for (int i = 0; i < uris.size(); i++) {
            int index = i;
            redirectUriProblem(uris.get(i), type).ifPresent(problem -> {
                throw new Violation(field, index, problem);
            });
        }
    }
}
