package io.latchkey.model.store;

import java.util.Locale;

/**
 * Every Redis key name Latchkey uses, and nothing else builds one.
 *
 * <p>Short-lived keys carry a hash tag ({@code {...}}) so that the keys one script touches share a Redis
 * Cluster slot. A code and every refresh token rotated from it belong to one <em>family</em>, and all of
 * a family's keys are tagged with it: redeeming a code (code, tombstone, family, first refresh token)
 * and rotating a refresh token (family, old token, new token) are single-slot scripts.
 *
 * <p>Secrets appear in key names only as their SHA-256 (see {@code OpaqueToken#hash()}).
 */
public final class RedisKeys {

    private static final String PREFIX = "lk:";

    private RedisKeys() {
    }

    /** A validated authorization request waiting for login and consent. */
    public static String authorizationRequest(String requestId) {
        return PREFIX + "{req:" + requestId + "}";
    }

    /** An SSO session. */
    public static String session(String sessionId) {
        return PREFIX + "{session:" + sessionId + "}";
    }

    /** The state of a grant family: the code grant it started from, its start time, the revoked flag. */
    public static String family(String family) {
        return PREFIX + "{fam:" + family + "}";
    }

    /** An unredeemed authorization code, by the hash of the code. */
    public static String code(String family, String codeHash) {
        return family(family) + ":code:" + codeHash;
    }

    /** Left behind by a redemption, so that a replay is recognised (RFC 6749 §4.1.2). */
    public static String codeTombstone(String family, String codeHash) {
        return code(family, codeHash) + ":used";
    }

    /** A refresh token of a family, by its hash; the value says whether it is current or rotated. */
    public static String refreshToken(String family, String tokenHash) {
        return family(family) + ":rt:" + tokenHash;
    }

    /** A revoked access token's {@code jti}, kept until the token would have expired (RFC 7009). */
    public static String revokedAccessToken(String jti) {
        return PREFIX + "{jti:" + jti + "}";
    }

    /** Failed-login counter of one account or one client address. */
    public static String loginThrottle(String kind, String subject) {
        return PREFIX + "{throttle:" + kind + ":" + subject + "}";
    }

    /** The signing key set shared by every token-service replica when no key file is mounted. */
    public static String signingKeys() {
        return PREFIX + "keys";
    }

    public static String client(String clientId) {
        return PREFIX + "client:" + clientId;
    }

    public static String user(String userId) {
        return PREFIX + "user:" + userId;
    }

    /** Usernames are unique without regard to case. */
    public static String username(String username) {
        return PREFIX + "username:" + username.toLowerCase(Locale.ROOT);
    }

    public static String consent(String subject, String clientId) {
        return PREFIX + "consent:" + subject + ":" + clientId;
    }

    /**
     * A browser trusted for one account after a successful login, by the SHA-256 of its device cookie (a
     * random secret, so the name needs no escaping). Its own login budget is {@code loginThrottle("device", hash)}.
     */
    public static String trustedDevice(String deviceHash) {
        return PREFIX + "{device:" + deviceHash + "}";
    }

    /** The pending authorization requests one client address started within the request lifetime. */
    public static String pendingRequestSlots(String clientAddress) {
        return PREFIX + "{pending:" + clientAddress + "}";
    }
}
