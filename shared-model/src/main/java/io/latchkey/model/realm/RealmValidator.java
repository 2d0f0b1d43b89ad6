package io.latchkey.model.realm;

import io.latchkey.model.domain.ApplicationType;
import io.latchkey.model.authn.SecondFactorPolicy;
import io.latchkey.model.dpop.DpopPolicy;
import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.domain.ClientRules;
import io.latchkey.model.domain.ClientType;
import io.latchkey.model.domain.GrantType;
import io.latchkey.model.domain.Usernames;
import io.latchkey.model.password.PasswordHasher;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Everything a realm file must satisfy, checked as a whole before anything of it is written and without
 * touching a store, so that every importer refuses the same files with the same errors, each naming its line and
 * path. What makes a client valid is {@link ClientRules}, which dynamic registration applies too; this class reads
 * the file's entries into clients and says where a broken rule is in the file.
 */
public final class RealmValidator {

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
        List<String> redirects = entries(source, at + ".redirectUris", c.redirectUris(), "a URI");
        List<String> logoutRedirects = entries(source, at + ".postLogoutRedirectUris", c.postLogoutRedirectUris(), "a URI");
        List<String> origins = c.webOrigins() != null ? entries(source, at + ".webOrigins", c.webOrigins(), "an origin")
                : ClientRules.originsOf(redirects);
        Set<String> scopes = c.scopes() == null ? Set.copyOf(ClientRules.OFFERED_SCOPES) : c.scopes();
        if (scopes.stream().anyMatch(Objects::isNull)) {
            throw source.error(at + ".scopes", "expected scope names, found an empty entry");
        }
        ApplicationType applicationType = c.applicationType() == null ? ApplicationType.WEB
                : ApplicationType.of(c.applicationType()).orElseThrow(() -> source.error(at + ".applicationType",
                        "expected 'web' or 'native', found '" + c.applicationType() + "'"));
        SecondFactorPolicy secondFactor;
        try {
            secondFactor = SecondFactorPolicy.of(c.secondFactor());
        } catch (IllegalArgumentException e) {
            throw source.error(at + ".secondFactor", "expected 'off', 'optional' or 'required', found '" + c.secondFactor() + "'");
        }
        DpopPolicy dpop;
        try {
            dpop = DpopPolicy.of(c.dpop());
        } catch (IllegalArgumentException e) {
            throw source.error(at + ".dpop", "expected 'allowed' or 'required', found '" + c.dpop() + "'");
        }
        ClientRegistration client = new ClientRegistration(c.clientId(), c.name(), type, secretHash, redirects, logoutRedirects,
                origins, scopes, grants, Boolean.TRUE.equals(c.firstParty()), c.signingAlg(), c.accessTokenLifetime(),
                c.refreshTokenLifetime(), applicationType, Boolean.TRUE.equals(c.resourceServer()), secondFactor, dpop,
                Boolean.TRUE.equals(c.requirePushedAuthorizationRequests()), c.refreshReuseGrace());
        try {
            ClientRules.check(client);
        } catch (ClientRules.Violation v) {
            throw source.error(at + path(v), v.getMessage());
        }
        return client;
    }

    /** Where in a file entry a broken client rule points. */
    private static String path(ClientRules.Violation v) {
        String field = switch (v.field()) {
            case CLIENT_ID -> ".clientId";
            case SECRET -> ".secretHash";
            case GRANT_TYPES -> ".grantTypes";
            case REDIRECT_URIS -> ".redirectUris";
            case POST_LOGOUT_REDIRECT_URIS -> ".postLogoutRedirectUris";
            case WEB_ORIGINS -> ".webOrigins";
            case SIGNING_ALG -> ".signingAlg";
            case REFRESH_REUSE_GRACE -> ".refreshReuseGrace";
            case RESOURCE_SERVER -> ".resourceServer";
        };
        return v.index() < 0 ? field : field + "[" + v.index() + "]";
    }

    /** A list of the file, with an empty entry ({@code - ~}) named as the mistake it is. */
    private static List<String> entries(RealmSource source, String at, List<String> values, String what) {
        if (values == null) {
            return List.of();
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw source.error(at + "[" + i + "]", "expected " + what + ", found an empty entry");
            }
        }
        return values;
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
