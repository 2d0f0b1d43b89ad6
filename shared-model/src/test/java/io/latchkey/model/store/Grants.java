package io.latchkey.model.store;

import io.latchkey.model.domain.CodeGrant;
import io.latchkey.model.pkce.Pkce;
import io.latchkey.model.token.OpaqueToken;
import java.time.Duration;
import java.util.List;

/** Test data: a code grant and the verifier that proves it. */
final class Grants {

    static final String CLIENT = "spa";
    static final String REDIRECT = "https://app.example.com/callback";
    static final CodeStore.RefreshPolicy REFRESH =
            new CodeStore.RefreshPolicy(true, Duration.ofMinutes(5), Duration.ofHours(1));

    final String verifier = OpaqueToken.randomId(48);
    final CodeGrant grant = new CodeGrant(CLIENT, REDIRECT, Pkce.s256(verifier), List.of("openid", "profile"),
            "n-0S6_WzA2Mj", "alice", 1_700_000_000L, "sid-1", List.of("pwd"), 1_700_000_001L);
}
