package io.latchkey.admin.sessions;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What GET /admin/users/{id}/sessions answers: the user's live SSO sessions and refresh families, by handle
 * (GrantHandles), with the facts an operator needs to recognise one and nothing that would let anyone use it.
 * Times are ISO-8601 UTC.
 */
public record SessionsReport(String user, List<Session> sessions, List<Family> families) {

    /**
     * @param idleExpiresAt when it ends if the browser does not come back before
     * @param expiresAt     its absolute end, however often it is used
     */
    public record Session(
            String handle,
            @JsonProperty("created_at") String createdAt,
            @JsonProperty("auth_time") String authTime,
            List<String> amr,
            @JsonProperty("idle_expires_at") String idleExpiresAt,
            @JsonProperty("expires_at") String expiresAt) {
    }

    /**
     * @param session the handle of the SSO session the family was started from, if it rests on one
     */
    public record Family(
            String handle,
            @JsonProperty("client_id") String clientId,
            List<String> scopes,
            @JsonProperty("created_at") String createdAt,
            @JsonProperty("auth_time") String authTime,
            List<String> amr,
            String session,
            @JsonProperty("expires_at") String expiresAt) {
    }
}
