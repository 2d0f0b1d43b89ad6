package io.latchkey.admin.auth;

import io.latchkey.model.token.AccessToken;
import jakarta.enterprise.context.RequestScoped;

/** Who is calling: the verified access token of this request, set by {@link AdminAuthFilter}. */
@RequestScoped
public class AdminCaller {

    private AccessToken token;

    void authenticated(AccessToken token) {
        this.token = token;
    }

    public AccessToken token() {
        if (token == null) {
            throw new IllegalStateException("no verified token on this request");
        }
        return token;
    }

    /**
     * The actor the audit trail records: {@code client:<id>} for a client acting for itself (client_credentials),
     * {@code user:<sub>} for a user's token, which names the client it was issued to as well.
     */
    public String actor() {
        return actorOf(token());
    }

    public static String actorOf(AccessToken token) {
        if (token.clientId() != null && token.clientId().equals(token.subject())) {
            return "client:" + token.clientId();
        }
        return "user:" + token.subject() + (token.clientId() == null ? "" : " via client:" + token.clientId());
    }
}
