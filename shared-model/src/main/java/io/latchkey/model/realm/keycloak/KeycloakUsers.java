package io.latchkey.model.realm.keycloak;

import io.latchkey.model.realm.RealmFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The users of a Keycloak export as realm-file users; see {@link KeycloakExport} for the mapping. */
final class KeycloakUsers {

    /**
     * Claims a token or the converter itself sets: an attribute of one of these names would impersonate
     * protocol data or contradict the user's own fields, so it is reported instead of copied.
     */
    static final Set<String> RESERVED_CLAIMS = Set.of("sub", "iss", "aud", "exp", "nbf", "iat", "jti", "auth_time",
            "nonce", "acr", "amr", "azp", "sid", "at_hash", "c_hash", "cnf", "scope", "client_id",
            "given_name", "family_name", "name", "email", "email_verified", "preferred_username");

    /** What each second-factor credential type is, for the warning. */
    private static final Map<String, String> SECOND_FACTORS = Map.of(
            "otp", "one-time-password (authenticator app)",
            "webauthn", "security key (WebAuthn)",
            "webauthn-passwordless", "passkey (WebAuthn passwordless)",
            "recovery-authn-codes", "recovery codes");

    private final KeycloakExport.Converter converter;

    KeycloakUsers(KeycloakExport.Converter converter) {
        this.converter = converter;
    }

    List<RealmFile.UserEntry> convert() {
        List<KeycloakRealm.User> users = converter.realm.users();
        String defaultRoles = "default-roles-" + converter.realm.realm().toLowerCase(Locale.ROOT);
        List<RealmFile.UserEntry> entries = new ArrayList<>();
        for (int k = 0; k < users.size(); k++) {
            String at = converter.prefix + "users[" + k + "]";
            KeycloakRealm.User u = users.get(k);
            if (u == null) {
                throw converter.error(at, "expected a user, found an empty entry");
            }
            if (u.username() == null || u.username().isBlank()) {
                throw converter.error(at + ".username", "the user" + (u.id() == null ? "" : " with id '" + u.id() + "'")
                        + " has no username; every Latchkey user signs in with one");
            }
            KeycloakExport.Origin origin = new KeycloakExport.Origin(at, u.username());
            String label = origin.label();
            if (u.serviceAccountClientId() != null) {
                converter.skipped.add(label + ": the service account of client '" + u.serviceAccountClientId()
                        + "'; Latchkey's client_credentials grant needs no user");
                continue;
            }
            String hash = password(at, label, u);
            if (hash == null) {
                continue;
            }
            if (u.id() == null || u.id().isBlank()) {
                converter.warnings.add(label + ": has no id in the export, so its subject identifier (sub) becomes "
                        + "the username and differs from the one Keycloak issued");
            }
            notCarried(label, u, defaultRoles);
            // A user without 'enabled' is disabled, as Keycloak itself imports it.
            entries.add(new RealmFile.UserEntry(u.id() == null || u.id().isBlank() ? null : u.id(), u.username(), null,
                    hash, Boolean.TRUE.equals(u.enabled()), claims(label, u)));
            converter.userOrigins.add(origin);
        }
        return entries;
    }

    /** The PHC hash of the user's password, or null when the user has none and is left out. */
    private String password(String at, String label, KeycloakRealm.User u) {
        List<KeycloakRealm.Credential> credentials = u.credentials() == null ? List.of() : u.credentials();
        String hash = null;
        int passwords = 0;
        for (int j = 0; j < credentials.size(); j++) {
            KeycloakRealm.Credential c = credentials.get(j);
            String type = c == null || c.type() == null ? "" : c.type();
            switch (type) {
                case "password" -> {
                    if (++passwords > 1) {
                        throw converter.error(at + ".credentials[" + j + "]", "user '" + u.username()
                                + "' has more than one password credential; Keycloak keeps one, so the export is damaged");
                    }
                    try {
                        hash = KeycloakPasswords.toPhc(c);
                    } catch (KeycloakPasswords.UnusableCredential e) {
                        throw converter.error(at + ".credentials[" + j + "]", "user '" + u.username() + "': "
                                + e.getMessage());
                    }
                }
                case "password-history" -> converter.skipped.add(label + ": a previous password (password-history); "
                        + "Latchkey keeps no password history");
                default -> {
                    String what = SECOND_FACTORS.getOrDefault(type, "'" + type + "'");
                    converter.warnings.add(label + ": its " + what + " credential"
                            + (c == null || c.userLabel() == null ? "" : " '" + c.userLabel() + "'")
                            + " is not carried over: Latchkey has no second factor, so this user will sign in with the password alone");
                }
            }
        }
        if (hash == null) {
            String why = u.federationLink() != null ? " (its password is kept by user federation '" + u.federationLink() + "')"
                    : u.federatedIdentities() != null && !u.federatedIdentities().isEmpty()
                            ? " (it signs in through " + u.federatedIdentities().stream()
                                    .map(KeycloakRealm.FederatedIdentity::identityProvider).toList() + ")"
                            : "";
            converter.warnings.add(label + ": not imported: it has no password credential" + why
                    + ", and a Latchkey user signs in with a password");
        }
        return hash;
    }

    private void notCarried(String label, KeycloakRealm.User u, String defaultRoles) {
        if (u.requiredActions() != null && !u.requiredActions().isEmpty()) {
            converter.warnings.add(label + ": Keycloak's required actions " + KeycloakExport.Converter.list(u.requiredActions())
                    + " are not carried over: Latchkey will not ask the user for them"
                    + (u.requiredActions().contains("UPDATE_PASSWORD")
                            ? " (UPDATE_PASSWORD: the password was meant to be changed at the next sign-in)" : ""));
        }
        if (u.federatedIdentities() != null && !u.federatedIdentities().isEmpty()) {
            converter.warnings.add(label + ": its links to identity providers " + u.federatedIdentities().stream()
                    .map(f -> f.identityProvider() + " as '" + f.userName() + "'").toList()
                    + " are not carried over: Latchkey does not broker sign-ins");
        }
        List<String> roles = u.realmRoles() == null ? List.of()
                : u.realmRoles().stream().filter(r -> !r.equals(defaultRoles)).sorted().toList();
        if (!roles.isEmpty()) {
            converter.warnings.add(label + ": realm roles " + roles + " are not carried over: Latchkey has no roles");
        }
        if (u.clientRoles() != null && !u.clientRoles().isEmpty()) {
            converter.warnings.add(label + ": client roles " + u.clientRoles()
                    + " are not carried over: Latchkey has no roles");
        }
        if (u.groups() != null && !u.groups().isEmpty()) {
            converter.warnings.add(label + ": membership of groups " + u.groups()
                    + " is not carried over: Latchkey has no groups");
        }
    }

    private Map<String, Object> claims(String label, KeycloakRealm.User u) {
        Map<String, Object> claims = new LinkedHashMap<>();
        String given = blankToNull(u.firstName());
        String family = blankToNull(u.lastName());
        if (given != null) {
            claims.put("given_name", given);
        }
        if (family != null) {
            claims.put("family_name", family);
        }
        if (given != null || family != null) {
            // Keycloak's full-name mapper: the names that are set, joined by a space.
            claims.put("name", given == null ? family : family == null ? given : given + " " + family);
        }
        String email = blankToNull(u.email());
        if (email != null) {
            claims.put("email", email);
            claims.put("email_verified", Boolean.TRUE.equals(u.emailVerified()));
        }
        if (u.attributes() != null) {
            u.attributes().forEach((name, values) -> {
                List<String> present = values == null ? List.of() : values.stream().filter(Objects::nonNull).toList();
                if (RESERVED_CLAIMS.contains(name)) {
                    converter.warnings.add(label + ": attribute '" + name + "' is not carried over: a claim of that "
                            + "name is set by Latchkey" + (present.isEmpty() ? "" : " (value " + present + ")"));
                } else if (present.isEmpty()) {
                    converter.skipped.add(label + ": attribute '" + name + "' has no value");
                } else {
                    claims.put(name, present.size() == 1 ? present.get(0) : present);
                }
            });
        }
        return claims;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
