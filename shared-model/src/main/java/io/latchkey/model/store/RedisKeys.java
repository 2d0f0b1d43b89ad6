package io.latchkey.model.store;

/**
 * Every Redis key name Latchkey uses, and nothing else builds one.
 *
 * <p>Short-lived keys carry a hash tag ({@code {...}}) so that the keys one script touches share a Redis
 * Cluster slot. A code and every refresh token rotated from it belong to one <em>family</em>, and all of
 * a family's keys are tagged with it: redeeming a code (code, tombstone, family, first refresh token)
 * and rotating a refresh token (family, old token, new token, old token's grace) are single-slot scripts.
 *
 * <p>Every part of a name that comes from outside (a client id, a subject, a username, an id read from a
 * cookie or a token) goes through {@link #part}, which escapes the characters that carry meaning in a key
 * name. Names stay injective, since no part can contain the {@code :} that separates parts (the throttle
 * of kind {@code a:b} for subject {@code c} is not that of kind {@code a} for {@code b:c}), and the slot of a
 * key is decided here, since no part can open or close a hash tag (Redis Cluster hashes the text between
 * the first <code>{</code> and the first <code>}</code> after it). Helpers that add keys here use it too.
 *
 * <p>Secrets appear in key names only as their SHA-256 (see {@code OpaqueToken#hash()}).
 */
public final class RedisKeys {

    private static final String PREFIX = "lk:";

    private RedisKeys() {
    }

    /**
     * One part of a key name built from outside input: {@code %}, {@code :}, <code>{</code> and
     * <code>}</code> are percent-encoded (RFC 3986 §2.1 style; {@code %} itself too, so that decoding is
     * unique and two different inputs never give one part). Random ids, hashes and ordinary names pass unchanged,
     * so keys written before escaping existed keep their names.
     */
    static String part(String input) {
        StringBuilder escaped = new StringBuilder(input.length() + 8);
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            switch (c) {
                case '%' -> escaped.append("%25");
                case ':' -> escaped.append("%3A");
                case '{' -> escaped.append("%7B");
                case '}' -> escaped.append("%7D");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** A validated authorization request waiting for login and consent. */
    public static String authorizationRequest(String requestId) {
        return PREFIX + "{req:" + part(requestId) + "}";
    }

    /** An SSO session. */
    public static String session(String sessionId) {
        return PREFIX + "{session:" + part(sessionId) + "}";
    }

    /** The state of a grant family: the code grant it started from, its start time, the revoked flag. */
    public static String family(String family) {
        return PREFIX + "{fam:" + part(family) + "}";
    }

    /** An unredeemed authorization code, by the hash of the code. */
    public static String code(String family, String codeHash) {
        return family(family) + ":code:" + part(codeHash);
    }

    /** Left behind by a redemption, so that a replay is recognised (RFC 6749 §4.1.2). */
    public static String codeTombstone(String family, String codeHash) {
        return code(family, codeHash) + ":used";
    }

    /** A refresh token of a family, by its hash; the value says whether it is current or rotated. */
    public static String refreshToken(String family, String tokenHash) {
        return family(family) + ":rt:" + part(tokenHash);
    }

    /**
     * A rotated refresh token's reuse grace, by the token's hash: its successor sealed for the token's holder and the
     * successor's key, living as long as the client's grace (issue 15, "many tabs").
     */
    public static String refreshTokenGrace(String family, String tokenHash) {
        return refreshToken(family, tokenHash) + ":grace";
    }

    /** A revoked access token's {@code jti}, kept until the token would have expired (RFC 7009). */
    public static String revokedAccessToken(String jti) {
        return PREFIX + "{jti:" + part(jti) + "}";
    }

    /** Failed-login counter of one account or one client address. */
    public static String loginThrottle(String kind, String subject) {
        return PREFIX + "{throttle:" + part(kind) + ":" + part(subject) + "}";
    }

    /**
     * The signing key set shared by every token-service replica when no key file is mounted: private parts and
     * each key's schedule (SigningKeys), staged and retired by the rotation.
     */
    public static String signingKeys() {
        return PREFIX + "keys";
    }

    /**
     * The lease of the token-service replica that rotates the signing key set in Redis (RedisLock), so one
     * replica stages and retires keys at a time.
     */
    public static String signingKeyRotationLock() {
        return PREFIX + "keys:rotation-lock";
    }

    /** The SSO sessions of one subject, by expiry, so that disabling the user can end them all. */
    public static String subjectSessions(String subject) {
        return PREFIX + "{subject:" + part(subject) + "}:sessions";
    }

    /** The grant families (codes and their refresh tokens) of one subject, by expiry. */
    public static String subjectFamilies(String subject) {
        return PREFIX + "{subject:" + part(subject) + "}:families";
    }

    /**
     * The public parts of token-service's signing keys (a JWK set without private members), which
     * token-service writes and authorize-service reads to verify id_token_hint: the services never call
     * each other, and authorize-service never holds a private key.
     */
    public static String publishedKeys() {
        return PREFIX + "jwks";
    }

    /**
     * A browser trusted for one account after a successful login, by the SHA-256 of its device cookie (a
     * random secret, so the name needs no escaping). Its own login budget is {@code loginThrottle("device", hash)}.
     */
    public static String trustedDevice(String deviceHash) {
        return PREFIX + "{device:" + part(deviceHash) + "}";
    }

    /** The pending authorization requests one client address started within the request lifetime. */
    public static String pendingRequestSlots(String clientAddress) {
        return PREFIX + "{pending:" + part(clientAddress) + "}";
    }

    /**
     * A WebAuthn challenge waiting for its ceremony, by the SHA-256 of the challenge: single use (taken with
     * GETDEL) and short-lived, so a signed response can be presented once (WebAuthn §13.4.3).
     */
    public static String webauthnChallenge(String challengeHash) {
        return PREFIX + "{webauthn:" + part(challengeHash) + "}";
    }

    /**
     * A TOTP secret shown to a person for enrolment but not yet confirmed with a code, by the SHA-256 of what it
     * is bound to (the session or the pending request); encrypted like the stored secret.
     */
    public static String totpEnrolment(String ownerHash) {
        return PREFIX + "{totp-enrol:" + part(ownerHash) + "}";
    }

    /**
     * A pushed authorization request (RFC 9126) by the SHA-256 of its request_uri: single use (taken with GETDEL)
     * and short-lived.
     */
    public static String pushedRequest(String requestUriHash) {
        return PREFIX + "{par:" + part(requestUriHash) + "}";
    }

    /**
     * A DPoP proof seen, by the SHA-256 of its key thumbprint and {@code jti}: kept while the proof could still be
     * accepted, so a proof is used once (RFC 9449 §11.1).
     */
    public static String dpopProof(String proofHash) {
        return PREFIX + "{dpop:" + part(proofHash) + "}";
    }

    /** The secret every token-service replica derives its DPoP nonces from (RFC 9449 §8). */
    public static String dpopNonceSecret() {
        return PREFIX + "dpop-nonce-secret";
    }
}
