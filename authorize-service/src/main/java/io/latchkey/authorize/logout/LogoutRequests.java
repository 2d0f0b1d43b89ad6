package io.latchkey.authorize.logout;

import io.latchkey.authorize.request.AuthorizationChecks;
import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.form.Parameters;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import io.latchkey.model.oauth.SpaceDelimited;
import io.latchkey.model.store.ClientStore;
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
 * Validates an RP-initiated logout request (OIDC RP-Initiated Logout 1.0 §2, §3): which client asks, and
 * whether its post_logout_redirect_uri is registered (exact match; otherwise no redirect at all).
 */
@ApplicationScoped
public class LogoutRequests {

    static final List<String> PARAMETERS = List.of("id_token_hint", "client_id", "post_logout_redirect_uri", "state", "ui_locales");

    /** A validated logout request. {@code confirmed} when the id_token_hint proved who asks. */
    public record Logout(boolean confirmed, Optional<URI> redirect, Map<String, String> fields, List<String> uiLocales) {
    }

    private final IdTokenHints hints;
    private final ClientStore clients;

    public LogoutRequests(IdTokenHints hints, ClientStore clients) {
        this.hints = hints;
        this.clients = clients;
    }

    public Uni<Logout> validate(Parameters params) {
        params.firstRepeated().ifPresent(name -> {
            throw invalid(name + " is repeated.");
        });
        for (String name : PARAMETERS) {
            int max = name.equals("post_logout_redirect_uri") ? 2048 : AuthorizationChecks.MAX_LENGTH.getOrDefault(name, 1024);
            if (params.length(name) > max) {
                throw invalid(name + " is longer than " + max + " bytes.");
            }
        }
        Optional<String> clientId = params.single("client_id");
        Uni<Optional<IdTokenHints.Hint>> hint = params.single("id_token_hint")
                .map(token -> hints.verify(token).map(Optional::of))
                .orElse(Uni.createFrom().item(Optional.empty()));
        return hint.flatMap(h -> {
            if (h.isPresent() && clientId.isPresent() && !h.get().audience().contains(clientId.get())) {
                throw invalid("client_id does not match the audience of id_token_hint.");
            }
            Optional<String> client = clientId.or(() -> h.flatMap(x -> x.audience().size() == 1
                    ? Optional.of(x.audience().get(0)) : Optional.empty()));
            return redirect(params, client).map(redirect -> {
                Map<String, String> fields = new LinkedHashMap<>();
                for (String name : PARAMETERS) {
                    params.single(name).ifPresent(value -> fields.put(name, value));
                }
                List<String> locales = SpaceDelimited.split(params.single("ui_locales").orElse(null));
                return new Logout(h.isPresent(), redirect, fields, locales);
            });
        });
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
