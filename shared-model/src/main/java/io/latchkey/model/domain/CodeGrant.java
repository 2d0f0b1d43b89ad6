package io.latchkey.model.domain;

import java.util.List;
import java.util.Objects;

/**
 * What an authorization code stands for: everything the token leg needs, fixed when the user consented.
 * The redemption script compares {@code clientId}, {@code redirectUri} and {@code codeChallenge} by these
 * JSON names, so renaming one is a schema change.
 *
 * @param authTime   epoch seconds of the login that this grant rests on (OIDC Core §2 auth_time)
 * @param sessionId  the SSO session ({@code sid})
 * @param issuedAt   epoch seconds
 * @param dpopJkt    JWK SHA-256 thumbprint of the DPoP key the code is bound to ({@code dpop_jkt}, RFC 9449 §10);
 *                   the redemption script compares it by this JSON name; null when not bound
 */
public record CodeGrant(
        String clientId,
        String redirectUri,
        String codeChallenge,
        List<String> scopes,
        String nonce,
        String subject,
        long authTime,
        String sessionId,
        List<String> amr,
        long issuedAt,
        String dpopJkt) {

    public static final int VERSION = 1;

    public CodeGrant {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(codeChallenge, "codeChallenge");
        Objects.requireNonNull(subject, "subject");
        scopes = List.copyOf(Objects.requireNonNullElse(scopes, List.of()));
        amr = List.copyOf(Objects.requireNonNullElse(amr, List.of()));
    }

    public CodeGrant(String clientId, String redirectUri, String codeChallenge, List<String> scopes, String nonce,
            String subject, long authTime, String sessionId, List<String> amr, long issuedAt) {
        this(clientId, redirectUri, codeChallenge, scopes, nonce, subject, authTime, sessionId, amr, issuedAt, null);
    }
}
