package io.latchkey.admin.registration;

import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.domain.ClientRules;
import io.latchkey.model.domain.GrantType;
import io.latchkey.model.dpop.DpopPolicy;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client information response (RFC 7591 §3.2.1, RFC 7592 §3): the metadata as stored, defaults filled in, so
 * the client sees exactly what the authorize and token legs will hold it to. The client secret appears only in the
 * answer that issued it: only its hash is kept. The registration access token appears when it was just issued or
 * rotated, or was the credential of this very request; an operator reading a client does not see it.
 */
final class ClientInformation {

    private ClientInformation() {
    }

    /**
     * @param newSecret the secret this request issued, else null
     * @param token     the registration access token to hand over, else null
     */
    static Map<String, Object> of(ClientRegistration client, TokenEndpointAuthMethod method, long issuedAt, String newSecret,
            String token, String clientUri) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("client_id", client.clientId());
        if (newSecret != null) {
            info.put("client_secret", newSecret);
            // RFC 7591 §3.2.1: 0 means the secret does not expire.
            info.put("client_secret_expires_at", 0);
        }
        info.put("client_id_issued_at", issuedAt);
        info.put("client_name", client.name());
        info.put("application_type", client.applicationType().value());
        info.put("redirect_uris", client.redirectUris());
        info.put("post_logout_redirect_uris", client.postLogoutRedirectUris());
        info.put("token_endpoint_auth_method", method.value());
        info.put("grant_types", Arrays.stream(GrantType.values()).filter(client::allows).map(GrantType::value).toList());
        info.put("response_types", client.allows(GrantType.AUTHORIZATION_CODE) ? List.of("code") : List.of());
        info.put("scope", String.join(" ", client.scopes().stream().sorted(OFFERED_FIRST).toList()));
        info.put("id_token_signed_response_alg", client.signingAlg());
        info.put("require_pushed_authorization_requests", client.requirePushedAuthorizationRequests());
        info.put("dpop_bound_access_tokens", client.dpop() == DpopPolicy.REQUIRED);
        if (token != null) {
            info.put("registration_access_token", token);
        }
        info.put("registration_client_uri", clientUri);
        return info;
    }

    /** The offered scopes in discovery's order, then any other (a realm-declared client's) by name. */
    private static final Comparator<String> OFFERED_FIRST = Comparator
            .comparingInt((String s) -> ClientRules.OFFERED_SCOPES.contains(s) ? ClientRules.OFFERED_SCOPES.indexOf(s) : Integer.MAX_VALUE)
            .thenComparing(Comparator.naturalOrder());
}
