package io.latchkey.model.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The space-delimited lists of RFC 6749 §3.3 and OIDC Core §3.1.2.1. */
class SpaceDelimitedTest {

    @Test
    void splitWhenSpacesRepeatedAndValuesRepeatedThenEachOnceInOrder() {
        assertThat(SpaceDelimited.split("  openid  profile openid email ")).containsExactly("openid", "profile", "email");
        assertThat(SpaceDelimited.split(null)).isEmpty();
        assertThat(SpaceDelimited.split("")).isEmpty();
    }

    @Test
    void scopesWhenTokenHasQuoteOrBackslashThenInvalidScope() {
        assertThat(SpaceDelimited.scopes("openid api:read")).containsExactly("openid", "api:read");
        assertThatThrownBy(() -> SpaceDelimited.scopes("openid a\"b")).isInstanceOfSatisfying(OAuthException.class,
                e -> assertThat(e.error()).isEqualTo(OAuthError.INVALID_SCOPE));
        assertThatThrownBy(() -> SpaceDelimited.scopes("a\\b")).isInstanceOf(OAuthException.class);
    }
}
