package io.latchkey.authorize.flow;

import io.latchkey.model.domain.SsoSession;
import io.latchkey.model.domain.SignInProgress;
import io.latchkey.model.store.SessionStore;
import io.latchkey.model.token.OpaqueToken;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;

/**
 * SSO sessions as the browser sees them: the cookie holds a 256-bit secret and Redis holds the session
 * under the secret's SHA-256, so a Redis dump cannot be replayed as a cookie (docs/architecture.md, "State").
 */
@ApplicationScoped
public class Sessions {

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
     * Opens a new session for a finished sign-in; a sign-in (a step-up too) always gets a new id, so a session id
     * planted before it is worthless (session fixation).
     */
    public Uni<Opened> open(SignInProgress signIn) {
        String secret = OpaqueToken.randomId(32);
        long now = Instant.now().getEpochSecond();
        SsoSession session = new SsoSession(OpaqueToken.sha256(secret), signIn.subject(), signIn.authTime(), signIn.amr(), now,
                signIn.secondFactorEnrolled());
        return store.save(session).replaceWith(new Opened(session, secret));
    }

    /** Records that the session's user enrolled a TOTP authenticator, so that clients with the optional policy ask for it. */
    public Uni<Void> markSecondFactorEnrolled(SsoSession session) {
        return store.replace(session.withSecondFactorEnrolled());
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
