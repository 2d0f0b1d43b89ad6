package io.latchkey.authorize.flow;

import io.latchkey.model.domain.SsoSession;
import io.latchkey.model.domain.User;
import io.latchkey.model.store.SessionStore;
import io.latchkey.model.token.OpaqueToken;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * SSO sessions as the browser sees them: the cookie holds a 256-bit secret and Redis holds the session
 * under the secret's SHA-256, so a Redis dump cannot be replayed as a cookie (docs/architecture.md, "State").
 */
@ApplicationScoped
public class Sessions {

    /** RFC 8176 §2: password-based authentication. */
    static final List<String> PASSWORD_AMR = List.of("pwd");

    private final SessionStore store;

    public Sessions(SessionStore store) {
        this.store = store;
    }

    /** The live session behind a cookie value, its idle lifetime renewed. */
    public Uni<Optional<SsoSession>> current(String cookieValue) {
        if (cookieValue == null || cookieValue.isEmpty() || cookieValue.length() > 64) {
            return Uni.createFrom().item(Optional.empty());
        }
        return store.touch(OpaqueToken.sha256(cookieValue));
    }

    /** A session opened by a password login now. */
    public record Opened(SsoSession session, String cookieValue) {
        @Override
        public String toString() {
            return "Opened[session=" + session.id() + "]";
        }
    }

    /**
     * Opens a new session; a login always gets a new id, so a session id planted before login is worthless
     * (session fixation).
     */
    public Uni<Opened> open(User user) {
        String secret = OpaqueToken.randomId(32);
        long now = Instant.now().getEpochSecond();
        SsoSession session = new SsoSession(OpaqueToken.sha256(secret), user.id(), now, PASSWORD_AMR, now);
        return store.save(session).replaceWith(new Opened(session, secret));
    }

    /** Ends the session behind a cookie value; the session it ended, if one was live, for the audit trail. */
    public Uni<Optional<SsoSession>> signOut(String cookieValue) {
        if (cookieValue == null || cookieValue.isEmpty() || cookieValue.length() > 64) {
            return Uni.createFrom().item(Optional.empty());
        }
        String id = OpaqueToken.sha256(cookieValue);
        return store.find(id).call(found -> store.delete(id));
    }

    public Uni<Boolean> end(String cookieValue) {
        if (cookieValue == null || cookieValue.isEmpty() || cookieValue.length() > 64) {
            return Uni.createFrom().item(false);
        }
        return store.delete(OpaqueToken.sha256(cookieValue));
    }
}
