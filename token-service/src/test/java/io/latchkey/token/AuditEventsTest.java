package io.latchkey.token;

import static io.latchkey.token.Flow.SPA;
import static io.latchkey.token.Flow.SPA_REDIRECT;
import static io.latchkey.token.Flow.assertError;
import static io.latchkey.token.Flow.exchange;
import static io.latchkey.token.Flow.newVerifier;
import static io.latchkey.token.Flow.refresh;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.model.store.CodeStore;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.testing.AuditRows;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A replayed code and a reused refresh token, the token leg's signs of theft, are audit rows naming the user, the
 * client and the revoked family, and never the code or token itself.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class AuditEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    CodeStore codes;

    @Test
    void refreshWhenRotatedTokenReusedThenRowNamesUserClientAndRevokedFamily() throws Exception {
        Response first = Flow.spaTokens(codes);
        String stolen = first.path("refresh_token");
        String family = OpaqueToken.parse(stolen).orElseThrow().family();
        Response rotated = refresh(SPA, stolen);
        rotated.then().statusCode(200);
        long mark = AuditRows.mark();

        assertError(refresh(SPA, stolen), 400, "invalid_grant");

        AuditRows.Row row = single(mark, "refresh.reuse-detected", family);
        assertThat(row.actor()).isEqualTo("client:" + SPA);
        assertThat(row.subject()).isEqualTo(Flow.ALICE);
        assertThat(row.clientId()).isEqualTo(SPA);
        assertThat(row.details()).doesNotContain(stolen).doesNotContain(rotated.<String>path("refresh_token"))
                .doesNotContain(first.<String>path("access_token"));
    }

    @Test
    void refreshWhenRepeatedWithinTheGraceThenRowOfItsOwnSaysTheFamilyLives() throws Exception {
        String verifier = newVerifier();
        String redirect = "http://localhost:5176/callback";
        String code = Flow.mint(codes, RefreshReuseGraceTest.TABS, redirect, verifier, List.of("openid"), null);
        String first = exchange(RefreshReuseGraceTest.TABS, code, redirect, verifier).path("refresh_token");
        String family = OpaqueToken.parse(first).orElseThrow().family();
        String successor = refresh(RefreshReuseGraceTest.TABS, first).path("refresh_token");
        long mark = AuditRows.mark();

        refresh(RefreshReuseGraceTest.TABS, first).then().statusCode(200);

        List<AuditRows.Row> rows = AuditRows.await(mark, r -> r.type().equals("refresh.reuse-in-grace"), 1, WAIT);
        assertThat(rows).hasSize(1);
        AuditRows.Row row = rows.get(0);
        JsonNode details = JSON.readTree(row.details());
        assertThat(details.get("family").asText()).isEqualTo(family);
        assertThat(details.get("family_revoked").asBoolean()).isFalse();
        assertThat(row.actor()).isEqualTo("client:" + RefreshReuseGraceTest.TABS);
        assertThat(row.subject()).isEqualTo(Flow.ALICE);
        assertThat(row.details()).doesNotContain(first).doesNotContain(successor);
        assertThat(AuditRows.after(mark)).noneMatch(r -> r.type().equals("refresh.reuse-detected"));
    }

    @Test
    void exchangeWhenCodeReplayedThenRowNamesUserClientAndRevokedFamily() throws Exception {
        String verifier = newVerifier();
        String code = Flow.mintSpa(codes, verifier);
        exchange(SPA, code, SPA_REDIRECT, verifier).then().statusCode(200);
        long mark = AuditRows.mark();

        assertError(exchange(SPA, code, SPA_REDIRECT, verifier), 400, "invalid_grant");

        AuditRows.Row row = single(mark, "code.replay-detected", OpaqueToken.parse(code).orElseThrow().family());
        assertThat(row.actor()).isEqualTo("client:" + SPA);
        assertThat(row.subject()).isEqualTo(Flow.ALICE);
        assertThat(row.clientId()).isEqualTo(SPA);
        assertThat(row.details()).doesNotContain(code).doesNotContain(verifier);
    }

    @Test
    void exchangeWhenCodeWithoutRefreshFamilyReplayedThenRowStillNamesTheClient() throws Exception {
        String verifier = newVerifier();
        String redirect = "https://norefresh.example/callback";
        String code = Flow.mint(codes, "no-refresh", redirect, verifier, List.of("openid"), null);
        exchange("no-refresh", code, redirect, verifier).then().statusCode(200);
        long mark = AuditRows.mark();

        assertError(exchange("no-refresh", code, redirect, verifier), 400, "invalid_grant");

        AuditRows.Row row = single(mark, "code.replay-detected", OpaqueToken.parse(code).orElseThrow().family());
        assertThat(row.actor()).isEqualTo("client:no-refresh");
        assertThat(row.clientId()).isEqualTo("no-refresh");
        // No family was started, so nothing in Redis says whose code it was.
        assertThat(row.subject()).isNull();
    }

    private static AuditRows.Row single(long mark, String type, String family) throws Exception {
        List<AuditRows.Row> rows = AuditRows.await(mark, r -> r.type().equals(type), 1, WAIT);
        assertThat(rows).hasSize(1);
        JsonNode details = JSON.readTree(rows.get(0).details());
        assertThat(details.get("family").asText()).isEqualTo(family);
        assertThat(details.get("family_revoked").asBoolean()).isTrue();
        return rows.get(0);
    }
}
