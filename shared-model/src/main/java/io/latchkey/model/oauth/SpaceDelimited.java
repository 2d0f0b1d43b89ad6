package io.latchkey.model.oauth;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The space-delimited lists of OAuth and OpenID Connect: {@code scope} (RFC 6749 §3.3), {@code prompt},
 * {@code ui_locales} (OIDC Core §3.1.2.1). Values are split on spaces; empty entries between repeated
 * spaces are dropped, and each value counts once, in the order first sent.
 */
public final class SpaceDelimited {

    /** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

    private SpaceDelimited() {
    }

    /** The values of a list; an absent or blank list is empty. */
    public static List<String> split(String list) {
        if (list == null || list.isEmpty()) {
            return List.of();
        }
        LinkedHashSet<String> values = new LinkedHashSet<>();
        for (String value : list.split(" ")) {
            if (!value.isEmpty()) {
                values.add(value);
            }
        }
        return List.copyOf(values);
    }

    /** The scopes of a scope parameter, each of the RFC 6749 §3.3 syntax, else invalid_scope. */
    public static List<String> scopes(String scope) {
        List<String> scopes = split(scope);
        for (String s : scopes) {
            if (!SCOPE_TOKEN.matcher(s).matches()) {
                throw OAuthError.INVALID_SCOPE.withDescription("The scope parameter is malformed.");
            }
        }
        return new ArrayList<>(scopes);
    }
}
