package io.latchkey.model.pkce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PkceTest {

    // RFC 7636 Appendix B
    static final String RFC_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    static final String RFC_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    @Test
    void s256OfTheRfcAppendixBVerifierIsTheRfcChallenge() {
        assertThat(Pkce.s256(RFC_VERIFIER)).isEqualTo(RFC_CHALLENGE);
        assertThat(Pkce.matches(RFC_VERIFIER, RFC_CHALLENGE)).isTrue();
    }

    @Test
    void matchesWhenVerifierDiffersInOneCharacterThenFalse() {
        String other = RFC_VERIFIER.substring(0, 42) + "Y";
        assertThat(Pkce.matches(other, RFC_CHALLENGE)).isFalse();
        assertThat(Pkce.matches(RFC_VERIFIER, RFC_CHALLENGE.substring(1))).isFalse();
        assertThat(Pkce.matches(RFC_VERIFIER, null)).isFalse();
    }

    @Test
    void verifierOfBoundaryLengthsIsAccepted() {
        Pkce.requireValidVerifier("a".repeat(43));
        Pkce.requireValidVerifier("~._-".repeat(32));
        assertThat(Pkce.isWellFormed("A".repeat(128))).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", // 42: too short
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", // 129
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjX+", // '+' is not unreserved
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjX=",
            "dBjftJeZ4CVP mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXé"
    })
    void requireValidVerifierWhenMalformedThenInvalidRequest(String verifier) {
        assertThatThrownBy(() -> Pkce.requireValidVerifier(verifier))
                .isInstanceOfSatisfying(OAuthException.class, e -> assertThat(e.error()).isEqualTo(OAuthError.INVALID_REQUEST));
        assertThat(Pkce.matches(verifier, RFC_CHALLENGE)).isFalse();
    }

    @Test
    void requireValidChallengeWhenMethodIsPlainThenRefused() {
        assertThatThrownBy(() -> Pkce.requireValidChallenge(RFC_CHALLENGE, "plain"))
                .isInstanceOfSatisfying(OAuthException.class, e -> {
                    assertThat(e.error()).isEqualTo(OAuthError.INVALID_REQUEST);
                    assertThat(e.description()).contains("S256");
                });
    }

    @Test
    void requireValidChallengeWhenMethodMissingThenRefusedRatherThanDefaultingToPlain() {
        assertThatThrownBy(() -> Pkce.requireValidChallenge(RFC_CHALLENGE, null)).isInstanceOf(OAuthException.class);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"short", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cMx", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM"})
    void requireValidChallengeWhenNotAnS256ValueThenInvalidRequest(String challenge) {
        assertThatThrownBy(() -> Pkce.requireValidChallenge(challenge, "S256"))
                .isInstanceOfSatisfying(OAuthException.class, e -> assertThat(e.error()).isEqualTo(OAuthError.INVALID_REQUEST));
    }

    @Test
    void requireValidChallengeAcceptsTheRfcChallenge() {
        Pkce.requireValidChallenge(RFC_CHALLENGE, "S256");
    }
}
