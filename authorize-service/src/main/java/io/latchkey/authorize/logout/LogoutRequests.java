package io.latchkey.authorize.logout;

import io.latchkey.authorize.flow.Sessions;
import io.latchkey.authorize.request.AuthorizationChecks;
import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.form.Parameters;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import io.latchkey.model.oauth.SpaceDelimited;
import io.latchkey.model.directory.ClientDirectory;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Validates an RP-initiated logout request (OIDC RP-Initiated Logout 1.0 §2, §3): which client asks, whether
 * its post_logout_redirect_uri is registered (exact match; otherwise no redirect at all), and whether the
 * id_token_hint names the session this browser is signed in with, the one case in which the person need not
 * be asked.
 */
@ApplicationScoped
public class LogoutRequests {

    static final List<String> PARAMETERS = List.of("id_token_hint", "client_id", "post_logout_redirect_uri", "state", "ui_locales");

    /**
     * A validated logout request. {@code confirmed} when the id_token_hint was issued for this browser's current
     * SSO session, so that ending it without asking cannot be forged by another site (§2). {@code clientId}: the
     * client that asks, named by client_id or by the id_token_hint's single audience, for the audit trail.
     */
    public record Logout(boolean confirmed, Optional<URI> redirect, Map<String, String> fields, List<String> uiLocales,
            Optional<String> clientId) {
    }

    private final IdTokenHints hints;
    private final ClientDirectory clients;
    private final Sessions sessions;

    public LogoutRequests(IdTokenHints hints, ClientDirectory clients, Sessions sessions) {
        this.hints = hints;
        this.clients = clients;
        this.sessions = sessions;
    }

    /** @param sessionCookie the value of this browser's session cookie, or null */
    public Uni<Logout> validate(Parameters params, String sessionCookie) {
        params.requireNoRepeats();
        for (String name : PARAMETERS) {
            int max = name.equals("post_logout_redirect_uri") ? 2048 : AuthorizationChecks.MAX_LENGTH.getOrDefault(name, 1024);
            if (params.length(name) > max) {
                throw invalid(name + " is longer than " + max + " bytes.");
            }
        }
        Optional<String> clientId = params.single("client_id");
        Uni<Optional<IdTokenHints.Hint>> hint = params.single("id_token_hint")
                // An access token (RFC 9068) is ours but not an ID token: treated as no hint, so the person is asked.
                .map(token -> hints.verify(token).map(h -> Optional.of(h).filter(IdTokenHints.Hint::idToken)))
                .orElse(Uni.createFrom().item(Optional.empty()));
        return hint.flatMap(h -> {
            if (h.isPresent() && clientId.isPresent() && !h.get().audience().contains(clientId.get())) {
                throw invalid("client_id does not match the audience of id_token_hint.");
            }
            Optional<String> client = clientId.or(() -> h.flatMap(x -> x.audience().size() == 1
                    ? Optional.of(x.audience().get(0)) : Optional.empty()));
            return redirect(params, client).flatMap(redirect -> namesCurrentSession(h, sessionCookie).map(confirmed -> {
                Map<String, String> fields = new LinkedHashMap<>();
                for (String name : PARAMETERS) {
                    params.single(name).ifPresent(value -> fields.put(name, value));
                }
                List<String> locales = SpaceDelimited.split(params.single("ui_locales").orElse(null));
                return new Logout(confirmed, redirect, fields, locales, client);
            }));
        });
    }

    /**
     * §2: a valid signature only proves that the token is ours. Any ID token a site has ever seen (its own
     * user's, or one of another of this person's sessions) would otherwise end this browser's session from a
     * link. The hint confirms only when its {@code sid}, or without one its {@code sub}, is the current session's.
     */
    private Uni<Boolean> namesCurrentSession(Optional<IdTokenHints.Hint> hint, String sessionCookie) {
        if (hint.isEmpty()) {
            return Uni.createFrom().item(false);
        }
        return sessions.current(sessionCookie).map(current -> current.isPresent() && (hint.get().sessionId() != null
                ? hint.get().sessionId().equals(current.get().id())
                : current.get().subject().equals(hint.get().subject())));
    }

    private Uni<Optional<URI>> redirect(Parameters params, Optional<String> clientId) {
        Optional<String> requested = params.single("post_logout_redirect_uri");
        if (requested.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        if (clientId.isEmpty()) {
            throw invalid("post_logout_redirect_uri needs client_id or id_token_hint to say which client asks.");
        }
        return clients.find(clientId.get()).map(found -> {
            ClientRegistration client = found.orElseThrow(() -> invalid("The client is not registered (unknown client_id)."));
            if (!client.postLogoutRedirectUris().contains(requested.get())) {
                throw invalid("post_logout_redirect_uri is not registered for this client.");
            }
            String uri = requested.get();
            Optional<String> state = params.single("state");
            // §3: state is passed back to the client as given.
            return Optional.of(URI.create(state.isEmpty() ? uri
                    : uri + (uri.contains("?") ? "&" : "?") + "state="
                            + URLEncoder.encode(state.get(), StandardCharsets.UTF_8).replace("+", "%20")));
        });
    }

    private static OAuthException invalid(String description) {
        return new OAuthException(OAuthError.INVALID_REQUEST, description);
    }
}
