package io.latchkey.authorize.flow;

import io.latchkey.model.domain.AuthorizationRequest;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import io.latchkey.model.store.AuthorizationRequestStore;
import io.latchkey.model.token.OpaqueToken;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Finds the pending request a login or consent form answers, and proves that the form came from the
 * browser that started it: the browser cookie must match the request's binding, and the form's CSRF token
 * the request's token. Failures are shown on a page, never redirected: the browser may be an attacker's.
 */
@ApplicationScoped
public class PendingRequests {

    private final AuthorizationRequestStore store;

    public PendingRequests(AuthorizationRequestStore store) {
        this.store = store;
    }

    public static String binding(String browserCookie) {
        return OpaqueToken.sha256(browserCookie);
    }

    public Uni<AuthorizationRequest> require(String requestId, String browserCookie, String csrfToken) {
        if (requestId == null || requestId.isEmpty() || requestId.length() > 64 || !requestId.matches("[A-Za-z0-9_-]+")) {
            return Uni.createFrom().failure(invalid("The sign-in request is missing. Go back to the application and start again."));
        }
        return store.find(requestId).map(found -> {
            AuthorizationRequest request = found.orElseThrow(() -> invalid(
                    "This sign-in request has expired or is already finished. Go back to the application and start again."));
            if (browserCookie == null || !equal(binding(browserCookie), request.browserBinding())) {
                throw invalid("This sign-in request was started in another browser. Go back to the application and start again.");
            }
            if (csrfToken == null || !equal(csrfToken, request.csrfToken())) {
                throw invalid("The form is not valid for this sign-in request (CSRF check failed).");
            }
            return request;
        });
    }

    public Uni<Void> save(AuthorizationRequest request) {
        return store.save(request);
    }

    public Uni<Boolean> finish(AuthorizationRequest request) {
        return store.delete(request.id());
    }

    private static boolean equal(String a, String b) {
        return b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static OAuthException invalid(String description) {
        return new OAuthException(OAuthError.INVALID_REQUEST, description);
    }
}
