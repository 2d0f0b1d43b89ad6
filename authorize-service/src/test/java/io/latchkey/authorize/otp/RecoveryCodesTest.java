package io.latchkey.authorize.otp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecoveryCodesTest {

    @Test
    void generateGivesTenDistinctCodesOfFourGroupsOfFourCrockfordCharacters() {
        List<String> codes = RecoveryCodes.generate();
        assertThat(codes).hasSize(10).doesNotHaveDuplicates()
                .allMatch(code -> code.matches("[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}"), "Crockford xxxx-xxxx-xxxx-xxxx");
        assertThat(RecoveryCodes.generate()).doesNotContainAnyElementsOf(codes);
    }

    @Test
    void digestIsSha256OfTheCanonicalForm() {
        assertThat(RecoveryCodes.digest("7QK2-M9XD-0RTB-4HWE")).hasValueSatisfying(digest -> assertThat(digest)
                .isEqualTo(sha256("7QK2M9XD0RTB4HWE")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"7QK2-M9XD-0RTB-4HWE", "7qk2-m9xd-0rtb-4hwe", "7QK2 M9XD 0RTB 4HWE", "7QK2M9XD0RTB4HWE",
            " 7qk2m9xd-ortb4hwe ", "7QK2-M9XD-ORTB-4HWE", "7qK2 -M9Xd- 0rTb -4hWe"})
    void digestWhenTypedWithOtherCaseSpacingOrLookAlikesThenTheSame(String typed) {
        assertThat(RecoveryCodes.digest(typed)).hasValueSatisfying(d -> assertThat(d).isEqualTo(sha256("7QK2M9XD0RTB4HWE")));
    }

    @Test
    void digestWhenILookAlikesThenOne() {
        assertThat(RecoveryCodes.digest("IL1i-lAAA-AAAA-AAAA")).hasValueSatisfying(d -> assertThat(d).isEqualTo(sha256("1111" + "1AAA" + "AAAAAAAA")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "7QK2-M9XD-0RTB-4HW", "7QK2-M9XD-0RTB-4HWEE", "7QK2-M9XD-0RTB-4HWU", "7QK2_M9XD_0RTB_4HWE",
            "7QK2-M9XD-0RTB-4HW!", "123456", "7QK2-M9XD-0RTB-4HWÉ"})
    void digestWhenMalformedThenEmpty(String typed) {
        assertThat(RecoveryCodes.digest(typed)).isEmpty();
        assertThat(RecoveryCodes.looksLikeCode(typed)).isFalse();
    }

    @Test
    void digestWhenNullOrHugeThenEmpty() {
        assertThat(RecoveryCodes.digest(null)).isEmpty();
        assertThat(RecoveryCodes.digest("-".repeat(100_000) + "7QK2M9XD0RTB4HWE")).isEmpty();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
