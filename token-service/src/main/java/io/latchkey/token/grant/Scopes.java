package io.latchkey.token.grant;

import io.latchkey.model.oauth.OAuthError;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The scope parameter (RFC 6749 §3.3): space-delimited, case-sensitive tokens of %x21 / %x23-5B / %x5D-7E. */
final class Scopes {

    private static final Pattern TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

    private Scopes() {
    }

    static List<String> parse(String scope) {
        LinkedHashSet<String> scopes = new LinkedHashSet<>();
        for (String s : scope.split(" ")) {
            if (s.isEmpty()) {
                continue;
            }
            if (!TOKEN.matcher(s).matches()) {
                throw OAuthError.INVALID_SCOPE.withDescription("The scope parameter is malformed.");
            }
            scopes.add(s);
        }
        return new ArrayList<>(scopes);
    }

    /** The requested scopes if all are within the allowed ones, else invalid_scope; absent means all allowed. */
    static List<String> narrow(Optional<String> requested, Collection<String> allowed, String why) {
        if (requested.isEmpty()) {
            return List.copyOf(allowed);
        }
        List<String> scopes = parse(requested.get());
        if (!allowed.containsAll(scopes)) {
            throw OAuthError.INVALID_SCOPE.withDescription(why);
        }
        return scopes;
    }
}
