package io.latchkey.token.issue;

import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.domain.CodeGrant;
import io.latchkey.model.domain.RefreshGrant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a set of tokens is issued for: the subject, the scopes granted, and the facts of the login the
 * ID token reports.
 *
 * @param authTime  epoch seconds of the login (OIDC Core §2); null for client_credentials
 * @param family    the grant family whose revocation also revokes these access tokens; null if none
 * @param nonce     OIDC Core §3.1.3.6: echoed in the ID token of a code exchange only (§12.2: not on refresh)
 * @param idToken   whether to issue an ID token: the grant has the openid scope
 * @param dpopJkt   the DPoP key the access token is bound to ({@code cnf.jkt}, RFC 9449 §6.1); null: a bearer token
 */
public record Authorization(
        String subject,
        List<String> scopes,
        Long authTime,
        String family,
        boolean idToken,
        String nonce,
        String sessionId,
        List<String> amr,
        String dpopJkt) {

    public static final String OPENID = "openid";

    public Authorization {
        Objects.requireNonNull(subject, "subject");
        scopes = List.copyOf(scopes);
        amr = amr == null ? List.of() : List.copyOf(amr);
    }

    public static Authorization fromCode(CodeGrant grant, String family) {
        return new Authorization(grant.subject(), grant.scopes(), grant.authTime(), family,
                grant.scopes().contains(OPENID), grant.nonce(), grant.sessionId(), grant.amr(), null);
    }

    /** OIDC Core §12.2: a refreshed ID token keeps sub, aud, auth_time and azp, and has no nonce. */
    public static Authorization fromRefresh(RefreshGrant grant, List<String> scopes) {
        CodeGrant origin = grant.origin();
        return new Authorization(origin.subject(), scopes, origin.authTime(), grant.family(),
                origin.scopes().contains(OPENID), null, origin.sessionId(), origin.amr(), null);
    }

    /** RFC 9068 §2.2: without a resource owner, sub is the client's own identifier. */
    public static Authorization forClient(ClientRegistration client, List<String> scopes) {
        return new Authorization(client.clientId(), scopes, null, null, false, null, null, List.of(), null);
    }

    /** RFC 9449 §5: the access token bound to the key of the request's DPoP proof, when it had one. */
    public Authorization boundTo(Optional<String> jkt) {
        return new Authorization(subject, scopes, authTime, family, idToken, nonce, sessionId, amr, jkt.orElse(null));
    }

    public String scope() {
        return String.join(" ", scopes);
    }
}
