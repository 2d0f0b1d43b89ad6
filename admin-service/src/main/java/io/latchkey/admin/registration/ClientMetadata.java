package io.latchkey.admin.registration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.latchkey.model.domain.ApplicationType;
import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.domain.ClientRules;
import io.latchkey.model.domain.GrantType;
import io.latchkey.model.dpop.DpopPolicy;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import io.latchkey.model.oauth.PrintableText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The client metadata of a registration or update request (RFC 7591 §2, with OpenID Connect Dynamic Registration
 * §2's names where the two overlap), read strictly: a field of the wrong JSON type, a value Latchkey does not offer
 * or a field that asks for something it does not do (keys, encryption, pairwise subjects, implicit) is refused with
 * {@code invalid_client_metadata}, so a client never believes it got what it did not. Fields Latchkey neither uses
 * nor contradicts (logo_uri, contacts, ...) are ignored and left out of the answer, as RFC 7591 §2 says.
 *
 * @param clientId     RFC 7592 §2.2: an update names the client it replaces; null in a registration
 * @param clientSecret RFC 7592 §2.2: an update may repeat the current secret, which must then match
 * @param scopes       null: every scope the provider offers
 * @param signingAlg   {@code id_token_signed_response_alg}; null: RS256
 * @param requirePushedAuthorizationRequests {@code require_pushed_authorization_requests} (RFC 9126 §6): /authorize
 *                     takes the client's requests only through /par; false when absent
 * @param dpopBoundAccessTokens {@code dpop_bound_access_tokens} (RFC 9449 §5.2): every token request must carry a
 *                     DPoP proof; false when absent
 */
public record ClientMetadata(
        String clientId,
        String clientSecret,
        List<String> redirectUris,
        List<String> postLogoutRedirectUris,
        TokenEndpointAuthMethod authMethod,
        Set<GrantType> grantTypes,
        ApplicationType applicationType,
        String clientName,
        Set<String> scopes,
        String signingAlg,
        boolean requirePushedAuthorizationRequests,
        boolean dpopBoundAccessTokens) {

    /** A registration is a few URIs and names; anything near this size is not one. */
    static final int MAX_BYTES = 16 * 1024;
    static final int MAX_URIS = 20;
    static final int MAX_URI_LENGTH = 2000;
    static final int MAX_NAME_LENGTH = 200;

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** Metadata Latchkey understands and cannot honour, each with why. */
    private static final Map<String, String> UNSUPPORTED = Map.ofEntries(
            Map.entry("jwks_uri", "clients authenticate with a secret or as public clients; no client keys are used"),
            Map.entry("jwks", "clients authenticate with a secret or as public clients; no client keys are used"),
            Map.entry("token_endpoint_auth_signing_alg", "private_key_jwt and client_secret_jwt are not supported"),
            Map.entry("sector_identifier_uri", "subject identifiers are public, never pairwise"),
            Map.entry("request_uris", "request objects are not supported"),
            Map.entry("request_object_signing_alg", "request objects are not supported"),
            Map.entry("request_object_encryption_alg", "request objects are not supported"),
            Map.entry("request_object_encryption_enc", "request objects are not supported"),
            Map.entry("id_token_encrypted_response_alg", "ID tokens are signed, never encrypted"),
            Map.entry("id_token_encrypted_response_enc", "ID tokens are signed, never encrypted"),
            Map.entry("userinfo_signed_response_alg", "userinfo answers plain JSON"),
            Map.entry("userinfo_encrypted_response_alg", "userinfo answers plain JSON"),
            Map.entry("userinfo_encrypted_response_enc", "userinfo answers plain JSON"),
            Map.entry("tls_client_certificate_bound_access_tokens", "access tokens are not bound to certificates"),
            Map.entry("frontchannel_logout_uri", "front-channel logout is not supported"),
            Map.entry("backchannel_logout_uri", "back-channel logout is not supported"),
            Map.entry("software_statement", "software statements are not accepted"));

    /** @throws OAuthException invalid_client_metadata or invalid_redirect_uri */
    public static ClientMetadata parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw invalid("The request has no client metadata: send a JSON object (RFC 7591 2).");
        }
        if (body.length > MAX_BYTES) {
            throw invalid("The client metadata is larger than " + MAX_BYTES / 1024 + " KiB.");
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw invalid("The client metadata is not valid JSON.");
        } catch (IOException e) {
            throw invalid("The client metadata cannot be read.");
        }
        if (json == null || !json.isObject()) {
            throw invalid("The client metadata must be a JSON object.");
        }
        for (var unsupported : UNSUPPORTED.entrySet()) {
            if (json.has(unsupported.getKey()) && !json.get(unsupported.getKey()).isNull()) {
                throw invalid(unsupported.getKey() + " is not supported: " + unsupported.getValue() + ".");
            }
        }
        String subjectType = string(json, "subject_type", 16);
        if (subjectType != null && !subjectType.equals("public")) {
            throw invalid("subject_type must be public: subject identifiers are never pairwise.");
        }

        String method = string(json, "token_endpoint_auth_method", 64);
        // RFC 7591 §2: client_secret_basic when absent.
        TokenEndpointAuthMethod authMethod = method == null ? TokenEndpointAuthMethod.CLIENT_SECRET_BASIC
                : TokenEndpointAuthMethod.of(method).orElseThrow(() -> invalid("token_endpoint_auth_method "
                        + PrintableText.quoted(method) + " is not supported: use none, client_secret_basic or client_secret_post."));

        Set<GrantType> grants = EnumSet.noneOf(GrantType.class);
        List<String> grantNames = strings(json, "grant_types", 8, 64);
        for (String name : grantNames == null ? List.of("authorization_code") : grantNames) {
            grants.add(GrantType.of(name).orElseThrow(() -> invalid("grant_types " + PrintableText.quoted(name)
                    + " is not supported: use authorization_code, refresh_token or client_credentials.")));
        }
        boolean code = grants.contains(GrantType.AUTHORIZATION_CODE);
        List<String> responseTypes = strings(json, "response_types", 8, 64);
        if (responseTypes != null) {
            for (String type : responseTypes) {
                if (!type.equals("code")) {
                    throw invalid("response_types " + PrintableText.quoted(type) + " is not supported: only code"
                            + " (the authorization code flow with PKCE; no implicit or hybrid flow).");
                }
            }
            // RFC 7591 §2.1: the code response type and the authorization_code grant come together.
            if (responseTypes.contains("code") != code) {
                throw invalid("response_types code and grant_types authorization_code go together (RFC 7591 2.1).");
            }
        }

        String appType = string(json, "application_type", 16);
        ApplicationType applicationType = appType == null ? ApplicationType.WEB : ApplicationType.of(appType)
                .orElseThrow(() -> invalid("application_type must be web or native."));

        String name = string(json, "client_name", MAX_NAME_LENGTH);
        if (name != null && (name.isBlank() || name.chars().anyMatch(Character::isISOControl))) {
            throw invalid("client_name must be printable text.");
        }

        Set<String> scopes = null;
        String scope = string(json, "scope", 1000);
        if (scope != null) {
            scopes = new LinkedHashSet<>();
            for (String s : scope.split(" ", -1)) {
                if (!ClientRules.OFFERED_SCOPES.contains(s)) {
                    throw invalid("scope " + PrintableText.quoted(s) + " is not offered: use any of "
                            + String.join(" ", ClientRules.OFFERED_SCOPES) + ".");
                }
                scopes.add(s);
            }
        }

        List<String> redirects = strings(json, "redirect_uris", MAX_URIS, MAX_URI_LENGTH);
        List<String> logoutRedirects = strings(json, "post_logout_redirect_uris", MAX_URIS, MAX_URI_LENGTH);
        return new ClientMetadata(string(json, "client_id", ClientRules.MAX_CLIENT_ID), string(json, "client_secret", 512),
                redirects == null ? List.of() : List.copyOf(new LinkedHashSet<>(redirects)),
                logoutRedirects == null ? List.of() : List.copyOf(new LinkedHashSet<>(logoutRedirects)),
                authMethod, grants, applicationType, name, scopes, string(json, "id_token_signed_response_alg", 16),
                bool(json, "require_pushed_authorization_requests"), bool(json, "dpop_bound_access_tokens"));
    }

    /**
     * The client these metadata register, after the same rules as a realm file's clients ({@link ClientRules}).
     * A registered client is never first-party (it always asks for consent) and never a resource server (it may
     * introspect its own tokens only): both are an operator's decision, made in the realm file.
     */
    public ClientRegistration toClient(String id, String secretHash) {
        ClientRegistration client = new ClientRegistration(id, clientName, authMethod.clientType(), secretHash, redirectUris,
                postLogoutRedirectUris, ClientRules.originsOf(redirectUris),
                scopes == null ? Set.copyOf(ClientRules.OFFERED_SCOPES) : scopes, grantTypes, false, signingAlg, null, null,
                applicationType, false, null, dpopBoundAccessTokens ? DpopPolicy.REQUIRED : DpopPolicy.ALLOWED,
                requirePushedAuthorizationRequests, null);
        try {
            ClientRules.check(client);
        } catch (ClientRules.Violation v) {
            throw switch (v.field()) {
                case REDIRECT_URIS -> OAuthError.INVALID_REDIRECT_URI.withDescription(describe("redirect_uris", v));
                case POST_LOGOUT_REDIRECT_URIS -> invalid(describe("post_logout_redirect_uris", v));
                case GRANT_TYPES -> invalid(describe("grant_types", v));
                case SIGNING_ALG -> invalid(describe("id_token_signed_response_alg", v));
                // Set by this class, never by the request: a broken rule here is Latchkey's own mistake.
                case CLIENT_ID, SECRET, WEB_ORIGINS, RESOURCE_SERVER, REFRESH_REUSE_GRACE -> new IllegalStateException(v.getMessage(), v);
            };
        }
        return client;
    }

    private static String describe(String field, ClientRules.Violation v) {
        String message = PrintableText.of(v.getMessage());
        return (v.index() < 0 ? field : field + "[" + v.index() + "]") + ": "
                + (message.length() > 300 ? message.substring(0, 300) + "..." : message);
    }

    private static String string(JsonNode json, String field, int maxLength) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid(field + " must be a string.");
        }
        if (value.textValue().length() > maxLength) {
            throw invalid(field + " is longer than " + maxLength + " characters.");
        }
        return value.textValue();
    }

    /** A boolean member (RFC 7591 §2: booleans are JSON booleans, never the strings "true" or "false"); false when absent. */
    private static boolean bool(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw invalid(field + " must be true or false.");
        }
        return value.booleanValue();
    }

    private static List<String> strings(JsonNode json, String field, int maxEntries, int maxLength) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw invalid(field + " must be an array of strings.");
        }
        if (value.size() > maxEntries) {
            throw invalid(field + " has more than " + maxEntries + " entries.");
        }
        List<String> values = new ArrayList<>(value.size());
        for (JsonNode entry : value) {
            if (!entry.isTextual() || entry.textValue().isEmpty()) {
                throw invalid(field + " must be an array of non-empty strings.");
            }
            if (entry.textValue().length() > maxLength) {
                throw invalid(field + " has an entry longer than " + maxLength + " characters.");
            }
            values.add(entry.textValue());
        }
        return values;
    }

    private static OAuthException invalid(String description) {
        return OAuthError.INVALID_CLIENT_METADATA.withDescription(description);
    }
}
