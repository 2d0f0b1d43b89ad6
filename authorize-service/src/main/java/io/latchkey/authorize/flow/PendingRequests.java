package io.latchkey.authorize.flow;

import io.latchkey.model.domain.AuthorizationRequest;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import io.latchkey.model.store.AuthorizationRequestStore;
import io.latchkey.model.store.PendingRequestSlots;
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
    private final PendingRequestSlots slots;
    private final PendingRequestsConfig config;

    public PendingRequests(AuthorizationRequestStore store, PendingRequestSlots slots, PendingRequestsConfig config) {
        this.store = store;
        this.slots = slots;
        this.config = config;
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

    /**
     * Stores a new request if its client address has a free slot. Otherwise {@code temporarily_unavailable}
     * (RFC 6749 §4.1.2.1): client and redirect_uri are proven by now, so the client learns of it and can
     * tell the person to try again later, as when Redis is unreachable.
     */
    public Uni<Void> save(AuthorizationRequest request, String clientAddress) {
        return slots.take(clientAddress, request.id(), config.perAddress()).flatMap(taken -> {
            if (!taken) {
                return Uni.createFrom().failure(new OAuthException(OAuthError.TEMPORARILY_UNAVAILABLE,
                        "Too many sign-in requests from this network. Try again in a few minutes."));
            }
            return store.save(request.withClientAddress(clientAddress));
        });
    }

    /** Records the sign-in under way for a stored request. */
    public Uni<Void> update(AuthorizationRequest request) {
        return store.replace(request);
    }

    /** Ends an answered request and frees its address's slot. */
    public Uni<Boolean> finish(AuthorizationRequest request) {
        return store.delete(request.id()).call(deleted -> request.clientAddress() == null
                ? Uni.createFrom().voidItem() : slots.release(request.clientAddress(), request.id()));
    }

    private static boolean equal(String a, String b) {
        return b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static OAuthException invalid(String description) {
        return new OAuthException(OAuthError.INVALID_REQUEST, description);
    }
}
