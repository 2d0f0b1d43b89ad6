package io.latchkey.token.grant;

import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.SpaceDelimited;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Narrowing the scope parameter (RFC 6749 §3.3) of a token request to what the grant allows. */
final class Scopes {

    private Scopes() {
    }

    /** The requested scopes if all are within the allowed ones, else invalid_scope; absent means all allowed. */
    static List<String> narrow(Optional<String> requested, Collection<String> allowed, String why) {
        if (requested.isEmpty()) {
            return List.copyOf(allowed);
        }
        List<String> scopes = SpaceDelimited.scopes(requested.get());
        if (!allowed.containsAll(scopes)) {
            throw OAuthError.INVALID_SCOPE.withDescription(why);
        }
        return scopes;
    }
}
