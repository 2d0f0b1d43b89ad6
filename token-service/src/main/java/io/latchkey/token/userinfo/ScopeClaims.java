package io.latchkey.token.userinfo;

import io.latchkey.model.domain.User;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** OIDC Core §5.4: the standard claims each scope releases. */
final class ScopeClaims {

    static final Map<String, List<String>> BY_SCOPE = Map.of(
            "profile", List.of("name", "family_name", "given_name", "middle_name", "nickname", "preferred_username",
                    "profile", "picture", "website", "gender", "birthdate", "zoneinfo", "locale", "updated_at"),
            "email", List.of("email", "email_verified"),
            "address", List.of("address"),
            "phone", List.of("phone_number", "phone_number_verified"));

    private ScopeClaims() {
    }

    /** sub, and the user's claims that the granted scopes release. */
    static Map<String, Object> release(User user, List<String> scopes) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", user.id());
        for (String scope : scopes) {
            for (String name : BY_SCOPE.getOrDefault(scope, List.of())) {
                Object value = user.claims().get(name);
                if (value != null) {
                    claims.put(name, value);
                }
            }
        }
        if (scopes.contains("profile") && !claims.containsKey("preferred_username")) {
            claims.put("preferred_username", user.username());
        }
        return claims;
    }
}
