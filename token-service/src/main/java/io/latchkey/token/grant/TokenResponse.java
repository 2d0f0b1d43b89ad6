package io.latchkey.token.grant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.latchkey.token.issue.IssuedTokens;

/** RFC 6749 §5.1 and OIDC Core §3.1.3.3: the successful token response. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenResponse(
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") long expiresIn,
        @JsonProperty("scope") String scope,
        @JsonProperty("id_token") String idToken,
        @JsonProperty("refresh_token") String refreshToken) {

    public static TokenResponse of(IssuedTokens tokens, String refreshToken) {
        return new TokenResponse(tokens.accessToken(), "Bearer", tokens.expiresIn(), tokens.scope(),
                tokens.idToken(), refreshToken);
    }
}
