package io.latchkey.model.realm;

import io.latchkey.model.domain.ApplicationType;
import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.domain.ClientType;
import io.latchkey.model.domain.GrantType;
import io.latchkey.model.domain.RedirectUri;
import io.latchkey.model.domain.Usernames;
import io.latchkey.model.password.PasswordHasher;
import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Everything a realm file must satisfy, checked as a whole before anything of it is written and without
 * touching a store, so that every importer (Redis today, a database tomorrow) refuses the same files with
 * the same errors, each naming its line and path.
 */
public final class RealmValidator {

    static final Set<String> ALGORITHMS = Set.of("RS256", "ES256", "EdDSA");

    /** Stands in for the hash of a plain-text secret while validating: hashing is the importer's work. */
    private static final Function<RealmFile.Client, String> NOT_HASHED = c -> "(hashed on import)";

    private RealmValidator() {
    }

    /** @throws RealmException at the first setting that is not valid, or the first duplicate */
    public static void validate(RealmSource source, RealmFile realm) {
        for (int i = 0; i < realm.clients().size(); i++) {
            client(source, "clients[" + i + "]", realm.clients().get(i), NOT_HASHED);
        }
        unique(source, "clients", ".clientId", "client id", realm.clients().stream().map(RealmFile.Client::clientId).toList());
        for (int i = 0; i < realm.users().size(); i++) {
            user(source, "users[" + i + "]", realm.users().get(i));
        }
        unique(source, "users", ".username", "username (RFC 8265 compares usernames by their canonical form)",
                realm.users().stream().map(RealmValidator::username).toList());
        unique(source, "users", "", "id (a user's id defaults to its username)",
                realm.users().stream().map(RealmValidator::userId).toList());
    }

    /** The subject identifier of a user: its {@code id}, by default its username as written. */
    public static String userId(RealmFile.UserEntry user) {
        return user.id() != null ? user.id() : user.username();
    }

    /** The canonical form of a validated user's username (RFC 8265), the form it is stored and found by. */
    public static String username(RealmFile.UserEntry user) {
        return Usernames.canonical(user.username());
    }

    /**
     * The client a file entry declares.
     *
     * @param plainSecretHash the hash to store for a confidential client given a plain-text {@code secret}
     */
    public static ClientRegistration client(RealmSource source, String at, RealmFile.Client c,
            Function<RealmFile.Client, String> plainSecretHash) {
        if (c.clientId() == null || c.clientId().isBlank()) {
            throw source.error(at + ".clientId", "expected a non-empty client id");
        }
        ClientType type = switch (c.type() == null ? "" : c.type().toLowerCase(Locale.ROOT)) {
            case "public" -> ClientType.PUBLIC;
            case "confidential" -> ClientType.CONFIDENTIAL;
            default -> throw source.error(at + ".type", "expected 'public' or 'confidential', found '" + c.type() + "'");
        };
        String secretHash = null;
        if (type == ClientType.CONFIDENTIAL) {
            if (c.secretHash() != null) {
                if (!PasswordHasher.isHash(c.secretHash())) {
                    throw source.error(at + ".secretHash", "expected an Argon2id, PBKDF2 or bcrypt hash");
                }
                secretHash = c.secretHash();
            } else if (c.secret() != null && !c.secret().isEmpty()) {
                secretHash = plainSecretHash.apply(c);
            } else {
                throw source.error(at, "a confidential client needs 'secret' or 'secretHash'");
            }
        } else if (c.secret() != null || c.secretHash() != null) {
            throw source.error(at + ".secret", "a public client has no secret (RFC 6749 2.1); remove it or make the client confidential");
        }
        Set<GrantType> grants = new LinkedHashSet<>();
        for (String g : c.grantTypes() == null ? Set.of("authorization_code", "refresh_token") : c.grantTypes()) {
            grants.add(Optional.ofNullable(g).flatMap(GrantType::of).orElseThrow(() -> source.error(at + ".grantTypes",
                    "expected authorization_code, refresh_token or client_credentials, found '" + g + "'")));
        }
        if (grants.contains(GrantType.CLIENT_CREDENTIALS) && type == ClientType.PUBLIC) {
            throw source.error(at + ".grantTypes", "client_credentials needs a confidential client");
        }
        List<String> redirects = c.redirectUris() == null ? List.of() : c.redirectUris();
        for (int i = 0; i < redirects.size(); i++) {
            redirectUri(source, at + ".redirectUris[" + i + "]", redirects.get(i));
        }
        if (grants.contains(GrantType.AUTHORIZATION_CODE) && redirects.isEmpty()) {
            throw source.error(at + ".redirectUris", "an authorization_code client needs at least one redirect URI");
        }
        List<String> logoutRedirects = c.postLogoutRedirectUris() == null ? List.of() : c.postLogoutRedirectUris();
        for (int i = 0; i < logoutRedirects.size(); i++) {
            redirectUri(source, at + ".postLogoutRedirectUris[" + i + "]", logoutRedirects.get(i));
        }
        List<String> origins = c.webOrigins() != null ? c.webOrigins() : originsOf(redirects);
        for (int i = 0; i < origins.size(); i++) {
            String o = origins.get(i);
            if (o == null || !o.equals(RedirectUri.originOf(o).orElse(null))) {
                throw source.error(at + ".webOrigins[" + i + "]", "expected an origin like https://app.example.com (no path), found '" + o + "'");
            }
        }
        String alg = c.signingAlg() == null ? "RS256" : c.signingAlg();
        if (!ALGORITHMS.contains(alg)) {
            throw source.error(at + ".signingAlg", "expected one of " + ALGORITHMS + ", found '" + alg + "'");
        }
        Set<String> scopes = c.scopes() == null ? Set.of("openid", "profile", "email", "offline_access") : c.scopes();
        if (scopes.stream().anyMatch(Objects::isNull)) {
            throw source.error(at + ".scopes", "expected scope names, found an empty entry");
        }
        ApplicationType applicationType = c.applicationType() == null ? ApplicationType.WEB
                : ApplicationType.of(c.applicationType()).orElseThrow(() -> source.error(at + ".applicationType",
                        "expected 'web' or 'native', found '" + c.applicationType() + "'"));
        boolean resourceServer = Boolean.TRUE.equals(c.resourceServer());
        if (resourceServer && type == ClientType.PUBLIC) {
            throw source.error(at + ".resourceServer", "a resource server authenticates to /introspect (RFC 7662 2.1); make it confidential");
        }
        return new ClientRegistration(c.clientId(), c.name(), type, secretHash, redirects, logoutRedirects, origins,
                scopes, grants, Boolean.TRUE.equals(c.firstParty()), alg, c.accessTokenLifetime(), c.refreshTokenLifetime(),
                applicationType, resourceServer);
    }

    private static void user(RealmSource source, String at, RealmFile.UserEntry u) {
        try {
            Usernames.canonical(u.username());
        } catch (Usernames.InvalidUsernameException e) {
            throw source.error(at + ".username", e.getMessage() + ", found '" + u.username() + "'");
        }
        if (u.id() != null && u.id().isBlank()) {
            throw source.error(at + ".id", "expected a non-empty subject identifier, or no id (the username is used)");
        }
        if (u.passwordHash() != null && !PasswordHasher.isHash(u.passwordHash())) {
            throw source.error(at + ".passwordHash", "expected an Argon2id, PBKDF2 or bcrypt hash");
        }
        if (u.passwordHash() == null && (u.password() == null || u.password().isEmpty())) {
            throw source.error(at, "a user needs 'password' or 'passwordHash'");
        }
        if (u.claims() != null) {
            noNulls(source, at + ".claims", u.claims());
        }
    }

    /** A claim without a value ({@code middle_name: ~}) is a mistake in the file: say so, do not store null. */
    private static void noNulls(RealmSource source, String at, Object value) {
        if (value == null) {
            throw source.error(at, "expected a value; leave the claim out instead of giving it none");
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (k == null) {
                    throw source.error(at, "expected a name for every claim, found an empty one");
                }
                noNulls(source, at + "." + k, v);
            });
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                noNulls(source, at + "[" + i + "]", list.get(i));
            }
        }
    }

    /** RFC 6749 §3.1.2: absolute, no fragment; an http(s) URI needs a host and a port from 1 to 65535. */
    private static void redirectUri(RealmSource source, String at, String value) {
        if (value == null) {
            throw source.error(at, "expected a URI, found an empty entry");
        }
        URI uri = RedirectUri.parse(value).orElseThrow(() -> source.error(at, "expected a URI, found '" + value + "'"));
        if (!uri.isAbsolute() || uri.getRawFragment() != null) {
            throw source.error(at, "expected an absolute URI without fragment, found '" + value + "'");
        }
        if (!RedirectUri.hasUsableAuthority(uri)) {
            throw source.error(at, "expected a host and a port from 1 to " + RedirectUri.MAX_PORT + ", found '" + value + "'");
        }
    }

    private static List<String> originsOf(List<String> redirectUris) {
        return redirectUris.stream().map(RedirectUri::originOf).flatMap(Optional::stream).distinct().collect(Collectors.toList());
    }

    private static void unique(RealmSource source, String list, String field, String what, List<String> names) {
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            Integer earlier = first.putIfAbsent(names.get(i), i);
            if (earlier != null) {
                throw source.error(list + "[" + i + "]" + field, "'" + names.get(i) + "' appears twice: the same " + what
                        + " as " + list + "[" + earlier + "]");
            }
        }
    }
}
