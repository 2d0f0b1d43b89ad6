package io.latchkey.authorize.account;

import io.latchkey.authorize.flow.Sessions;
import io.latchkey.model.domain.SsoSession;
import io.latchkey.model.form.Parameters;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import io.latchkey.model.token.OpaqueToken;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The person on the account security pages: whoever holds a live SSO session in this browser. Their forms carry a
 * CSRF token derived from the session cookie's secret, which only this browser knows (the session id in Redis is
 * a different digest of it, so a Redis dump yields no token).
 */
@ApplicationScoped
public class AccountSessions {

    /** A signed-in person: the session, its cookie value and the CSRF token for its forms. */
    public record Account(SsoSession session, String cookieValue, String csrfToken) {

        public String subject() {
            return session.subject();
        }

        @Override
        public String toString() {
            return "Account[session=" + session.id() + "]";
        }
    }

    private final Sessions sessions;

    public AccountSessions(Sessions sessions) {
        this.sessions = sessions;
    }

    /** The person signed in in this browser; a page asking them to sign in through an application when nobody is. */
    public Uni<Account> require(String cookieValue) {
        return sessions.current(cookieValue).map(session -> session
                .map(s -> new Account(s, cookieValue, csrfToken(cookieValue)))
                .orElseThrow(() -> new OAuthException(OAuthError.LOGIN_REQUIRED,
                        "You are not signed in. Sign in to an application that uses this account, then come back.")));
    }

    /** As {@link #require(String)}, for a form post: its csrf_token must be this session's. */
    public Uni<Account> require(String cookieValue, Parameters form) {
        form.requireNoRepeats();
        String presented = form.single("csrf_token").orElse("");
        return require(cookieValue).invoke(account -> {
            if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                    account.csrfToken().getBytes(StandardCharsets.UTF_8))) {
                throw new OAuthException(OAuthError.INVALID_REQUEST, "The form is not valid for this session (CSRF check failed).");
            }
        });
    }

    static String csrfToken(String cookieValue) {
        return OpaqueToken.sha256("account-forms:" + cookieValue);
    }
}
