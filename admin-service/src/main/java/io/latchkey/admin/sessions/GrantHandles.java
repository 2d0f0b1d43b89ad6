package io.latchkey.admin.sessions;

import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.token.OpaqueToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The names the sessions API gives a user's SSO sessions and refresh families. A session id is the value of the
 * browser's cookie and a family id is the first half of every code and refresh token of the family, so neither
 * leaves admin-service: the API shows BASE64URL(SHA-256(id)) instead and finds the id again by hashing the members
 * of the user's own index, which also confines a handle to the user it was listed for.
 */
final class GrantHandles {

    /** BASE64URL of 32 bytes, without padding. */
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private GrantHandles() {
    }

    static String of(String id) {
        return OpaqueToken.sha256(id);
    }

    /** The id among {@code ids} whose handle this is. */
    static Optional<String> find(List<String> ids, String handle) {
        byte[] wanted = handle.getBytes(StandardCharsets.US_ASCII);
        return ids.stream().filter(id -> MessageDigest.isEqual(of(id).getBytes(StandardCharsets.US_ASCII), wanted)).findFirst();
    }

    /** Refuses what cannot be a handle before anything is read. */
    static String requireWellFormed(String handle) {
        if (handle == null || !SHAPE.matcher(handle).matches()) {
            throw OAuthError.INVALID_REQUEST.withDescription("The handle is not one the sessions API lists.");
        }
        return handle;
    }
}
