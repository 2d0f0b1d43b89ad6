package io.latchkey.model.authn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 8176 amr values of a sign-in, and the acr class that follows from them (OIDC Core §2). */
class AmrAndAcrTest {

    @Test
    void combineWhenPasswordAndAHeldFactorThenMultiFactor() {
        assertThat(Amr.combine(List.of("pwd"), List.of("otp"))).containsExactly("pwd", "otp", "mfa");
        assertThat(Amr.combine(List.of("pwd"), List.of("hwk", "user"))).containsExactly("pwd", "hwk", "user", "mfa");
    }

    @Test
    void combineWhenTwoHeldFactorsOnlyThenNotMultiFactor() {
        // Two things held are one category (RFC 8176 mfa: factors of different kinds); nothing is added that was not used.
        assertThat(Amr.combine(List.of("hwk", "user"), List.of("otp"))).containsExactly("hwk", "user", "otp");
    }

    @Test
    void combineWhenAStepWasMultiFactorAloneThenItStaysSoAndNothingRepeats() {
        assertThat(Amr.combine(List.of("swk", "user", "mfa"), List.of("otp"))).containsExactly("swk", "user", "otp", "mfa");
        assertThat(Amr.combine(List.of("pwd", "otp", "mfa"), List.of("otp"))).containsExactly("pwd", "otp", "mfa");
    }

    @Test
    void acrFollowsFromAmr() {
        assertThat(Acr.of(List.of("pwd"))).isEqualTo(Acr.SINGLE_FACTOR);
        assertThat(Acr.of(List.of("pwd", "otp", "mfa"))).isEqualTo(Acr.MULTI_FACTOR);
        assertThat(Acr.of(List.of("hwk", "user"))).isEqualTo(Acr.SINGLE_FACTOR);
    }

    @Test
    void demandsMultiFactorOnlyWhenEveryKnownValueIsMultiFactor() {
        assertThat(Acr.demandsMultiFactor(List.of(Acr.MULTI_FACTOR))).isTrue();
        assertThat(Acr.demandsMultiFactor(List.of("urn:example:gold", Acr.MULTI_FACTOR))).isTrue();
        assertThat(Acr.demandsMultiFactor(List.of(Acr.SINGLE_FACTOR, Acr.MULTI_FACTOR))).isFalse();
        assertThat(Acr.demandsMultiFactor(List.of("urn:example:gold"))).isFalse();
        assertThat(Acr.demandsMultiFactor(List.of())).isFalse();
    }

    @Test
    void policyNamesAreTheRealmFilesWordsOnly() {
        assertThat(SecondFactorPolicy.of("required")).isEqualTo(SecondFactorPolicy.REQUIRED);
        assertThat(SecondFactorPolicy.of(null)).isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SecondFactorPolicy.of("REQUIRED"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("off, optional or required");
    }
}
