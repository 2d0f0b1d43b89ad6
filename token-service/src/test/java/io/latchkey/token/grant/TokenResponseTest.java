package io.latchkey.token.grant;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The hand-written token response body must be the JSON a client library parses (RFC 6749 §5.1). */
class TokenResponseTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void writesEveryMemberAsJson() throws Exception {
        JsonNode body = json.readTree(new TokenResponse("a.b.c", "Bearer", 300, "openid profile", "d.e.f", "fam.secret").json());

        assertThat(body.get("access_token").asText()).isEqualTo("a.b.c");
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").isIntegralNumber()).isTrue();
        assertThat(body.get("expires_in").asLong()).isEqualTo(300);
        assertThat(body.get("scope").asText()).isEqualTo("openid profile");
        assertThat(body.get("id_token").asText()).isEqualTo("d.e.f");
        assertThat(body.get("refresh_token").asText()).isEqualTo("fam.secret");
    }

    @Test
    void leavesOutAbsentMembersAndEscapesWhatJsonNeedsEscaped() throws Exception {
        String odd = "scope\"with\\quote\u0001";
        JsonNode body = json.readTree(new TokenResponse("a.b.c", "Bearer", 60, odd, null, null).json());

        assertThat(body.has("id_token")).isFalse();
        assertThat(body.has("refresh_token")).isFalse();
        assertThat(body.get("scope").asText()).isEqualTo(odd);
        assertThat(body.size()).isEqualTo(4);
    }
}
