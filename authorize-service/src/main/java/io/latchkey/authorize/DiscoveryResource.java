package io.latchkey.authorize;

import io.latchkey.model.authn.Acr;
import io.latchkey.authorize.pages.Locales;
import io.latchkey.authorize.par.ParConfig;
import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.domain.ClientRules;
import io.latchkey.model.dpop.Dpop;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenID Connect Discovery 1.0 §4 (and RFC 8414 §3 for its OAuth fields): the provider metadata at
 * {@code <issuer>/.well-known/openid-configuration}, built once from configuration. token-service's
 * endpoints are listed at their own public base URL, which may be another host or port.
 */
@Path("/.well-known/openid-configuration")
public class DiscoveryResource {

    private final Map<String, Object> metadata;

    public DiscoveryResource(LatchkeyConfig config, ParConfig par) {
        String issuer = config.issuer();
        String tokens = config.tokenServiceBase();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", issuer);
        m.put("authorization_endpoint", issuer + "/authorize");
        m.put("token_endpoint", tokens + "/token");
        m.put("userinfo_endpoint", tokens + "/userinfo");
        m.put("jwks_uri", tokens + "/jwks");
        m.put("revocation_endpoint", tokens + "/revoke");
        m.put("introspection_endpoint", tokens + "/introspect");
        m.put("end_session_endpoint", issuer + "/logout");
        m.put("pushed_authorization_request_endpoint", issuer + "/par");
        m.put("require_pushed_authorization_requests", par.required());
        // admin-service's /register, when an operator made it reachable (docs/admin/registration.md).
        config.registration().endpoint().ifPresent(endpoint -> m.put("registration_endpoint", endpoint));
        m.put("scopes_supported", ClientRules.OFFERED_SCOPES);
        m.put("response_types_supported", List.of("code"));
        m.put("response_modes_supported", List.of("query", "fragment"));
        m.put("grant_types_supported", List.of("authorization_code", "refresh_token", "client_credentials"));
        m.put("subject_types_supported", List.of("public"));
        m.put("id_token_signing_alg_values_supported", List.of("RS256", "ES256", "EdDSA"));
        m.put("token_endpoint_auth_methods_supported", List.of("none", "client_secret_basic", "client_secret_post"));
        m.put("revocation_endpoint_auth_methods_supported", List.of("none", "client_secret_basic", "client_secret_post"));
        m.put("introspection_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        m.put("code_challenge_methods_supported", List.of("S256"));
        m.put("dpop_signing_alg_values_supported", Dpop.SIGNING_ALGORITHMS);
        m.put("authorization_response_iss_parameter_supported", true);
        m.put("acr_values_supported", Acr.SUPPORTED);
        m.put("prompt_values_supported", List.of("none", "login", "consent"));
        m.put("display_values_supported", List.of("page"));
        m.put("ui_locales_supported", Locales.tags());
        m.put("claim_types_supported", List.of("normal"));
        m.put("claims_supported", List.of("sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "sid", "azp",
                "at_hash", "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username",
                "profile", "picture", "website", "gender", "birthdate", "zoneinfo", "locale", "updated_at",
                "email", "email_verified"));
        m.put("claims_parameter_supported", false);
        m.put("request_parameter_supported", false);
        // OIDC Discovery §3 defaults this to true: false says no request_uri but PAR's (RFC 9126 §4).
        m.put("request_uri_parameter_supported", false);
        m.put("require_request_uri_registration", false);
        m.put("frontchannel_logout_supported", false);
        m.put("backchannel_logout_supported", false);
        this.metadata = Collections.unmodifiableMap(m);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response metadata() {
        // Public and identical for everyone: cacheable, and readable from any origin (no credentials involved).
        return Response.ok(metadata)
                .header(HttpHeaders.CACHE_CONTROL, "public, max-age=3600")
                .header("Access-Control-Allow-Origin", "*")
                .build();
    }

    /**
     * The CORS preflight of a browser app that sends W3C Trace Context (traceparent, tracestate) with its fetch of
     * this document: the same public answer for any origin, GET only, those two headers only.
     */
    @OPTIONS
    public Response preflight() {
        return Response.noContent()
                .header("Access-Control-Allow-Origin", "*")
                .header("Access-Control-Allow-Methods", "GET")
                .header("Access-Control-Allow-Headers", "traceparent, tracestate")
                .header("Access-Control-Max-Age", "3600")
                .build();
    }
}
