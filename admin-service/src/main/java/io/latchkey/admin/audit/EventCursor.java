package io.latchkey.admin.audit;

import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code next} cursor of GET /admin/events: the id of the last event of a page, below which the next
 * page starts (keyset pagination, so rows stored meanwhile neither repeat nor shift a page). Opaque so that
 * clients pass it back rather than build it; the version prefix lets its form change later.
 */
final class EventCursor {

    private static final String PREFIX = "e1:";

    private EventCursor() {
    }

    static String after(long id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + id).getBytes(StandardCharsets.US_ASCII));
    }

    /** The id a cursor names; 400 invalid_request for anything this class did not write. */
    static long read(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (text.startsWith(PREFIX)) {
                long id = Long.parseLong(text.substring(PREFIX.length()));
                if (id > 0) {
                    return id;
                }
            }
        } catch (IllegalArgumentException e) {
            // Not base64url, or not a number: the same answer as any other foreign cursor.
        }
        throw new OAuthException(OAuthError.INVALID_REQUEST, "cursor is not a cursor this endpoint returned.");
    }
}
