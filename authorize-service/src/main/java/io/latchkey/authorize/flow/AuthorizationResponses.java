package io.latchkey.authorize.flow;

import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.oauth.OAuthException;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Builds the redirect that answers an authorization request, success or error. */
@ApplicationScoped
public class AuthorizationResponses {

    private final LatchkeyConfig config;

    public AuthorizationResponses(LatchkeyConfig config) {
        this.config = config;
    }

    /** RFC 6749 §4.1.2: code and state; RFC 9207 §2: iss, so a client can tell which issuer answered. */
    public URI code(ResponseTarget target, String code) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("code", code);
        return build(target, params);
    }

    /** RFC 6749 §4.1.2.1: error, error_description, state; RFC 9207 §2: iss on errors too. */
    public URI error(ResponseTarget target, OAuthException error) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("error", error.error().code());
        if (error.description() != null) {
            params.put("error_description", error.description());
        }
        return build(target, params);
    }

    private URI build(ResponseTarget target, Map<String, String> params) {
        if (target.state() != null) {
            params.put("state", target.state());
        }
        params.put("iss", config.issuer());
        String encoded = params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("&"));
        String base = target.redirectUri();
        if ("fragment".equals(target.responseMode())) {
            return URI.create(base + "#" + encoded);
        }
        // RFC 6749 §3.1.2: the query of a registered redirect URI MUST be retained.
        return URI.create(base + (base.contains("?") ? "&" : "?") + encoded);
    }
}
