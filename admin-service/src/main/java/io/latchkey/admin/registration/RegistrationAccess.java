package io.latchkey.admin.registration;

import io.latchkey.admin.auth.AdminAuthException;
import io.latchkey.admin.auth.AdminAuthException.Reason;
import io.latchkey.admin.auth.AdminCaller;
import io.latchkey.admin.auth.AdminScope;
import io.latchkey.admin.auth.AdminTokens;
import io.latchkey.model.token.AccessToken;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who manages a client through RFC 7592: the holder of that client's registration access token (opaque, checked
 * against the stored hash by {@link Registrations}), or an operator, whose Latchkey access token (a JWT, checked by
 * {@link AdminTokens}) carries the {@code clients} scope. The two are told apart by shape: only a JWT has dots.
 */
@ApplicationScoped
public class RegistrationAccess {

    /** The caller of a client configuration request, authenticated or still to be checked against the client. */
    public sealed interface Manager {
        /** The audit trail's actor for a change of {@code clientId}. */
        String actor(String clientId);
    }

    /** An operator: may read any client, and change or delete any client its rules allow. */
    public record Operator(AccessToken token) implements Manager {
        @Override
        public String actor(String clientId) {
            return AdminCaller.actorOf(token);
        }
    }

    /** Presents a registration access token; whether it is the client's is checked against the stored hash. */
    public record Holder(String token) implements Manager {
        @Override
        public String actor(String clientId) {
            return "registration:" + clientId;
        }

        @Override
        public String toString() {
            return "Holder[token hidden]";
        }
    }

    private final AdminTokens tokens;

    public RegistrationAccess(AdminTokens tokens) {
        this.tokens = tokens;
    }

    public Uni<Manager> of(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return Uni.createFrom().failure(new AdminAuthException(Reason.MISSING,
                    "A registration access token is required (RFC 7592 3).", null));
        }
        String token;
        try {
            token = AdminTokens.bearerToken(authorization, null);
        } catch (AdminAuthException e) {
            return Uni.createFrom().failure(e);
        }
        if (token.indexOf('.') >= 0) {
            return tokens.verify(authorization, AdminScope.CLIENTS).map(Operator::new);
        }
        return Uni.createFrom().item(new Holder(token));
    }
}
