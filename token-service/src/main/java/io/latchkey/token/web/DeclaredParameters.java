package io.latchkey.token.web;

import io.latchkey.model.form.Parameters;
import io.latchkey.model.oauth.OAuthError;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The parameters an endpoint or a grant reads, declared up front so that its contract is visible in one
 * line, and checked once, before anything is looked up. RFC 6749 §3.1 and §3.2 (and RFC 7009 §2.1, RFC 7662
 * §2.1, which refer to them): a declared parameter MUST NOT appear more than once, a required one must be
 * present, and one sent without a value counts as absent; parameters nobody declared are ignored.
 */
public record DeclaredParameters(Set<String> required, Set<String> optional) {

    /** client_secret_post (RFC 6749 §2.3.1): what every endpoint that authenticates clients accepts in its body. */
    public static final DeclaredParameters CLIENT_AUTHENTICATION = DeclaredParameters.optional("client_id", "client_secret");

    public DeclaredParameters {
        required = Set.copyOf(required);
        optional = Set.copyOf(optional);
    }

    public static DeclaredParameters required(String... names) {
        return new DeclaredParameters(Set.of(names), Set.of());
    }

    public static DeclaredParameters optional(String... names) {
        return new DeclaredParameters(Set.of(), Set.of(names));
    }

    /** These and also the given optional ones. */
    public DeclaredParameters andOptional(String... names) {
        return new DeclaredParameters(required, Set.copyOf(Stream.concat(optional.stream(), Stream.of(names)).toList()));
    }

    /**
     * Checks the request against the declaration and answers the view of it that can read only the
     * declared parameters. Names are checked in sorted order so that the answer does not depend on hashing.
     */
    public Parameters check(Parameters form) {
        List<String> declared = Stream.concat(required.stream(), optional.stream()).sorted().toList();
        for (String name : declared) {
            if (form.repeated(name)) {
                throw OAuthError.INVALID_REQUEST.withDescription("Parameter " + name + " is repeated.");
            }
        }
        for (String name : required.stream().sorted().toList()) {
            if (!form.has(name)) {
                throw OAuthError.INVALID_REQUEST.withDescription(name + " is required.");
            }
        }
        return form.restrictedTo(declared);
    }
}
