package io.latchkey.model.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The error_description sanitiser (RFC 6749 §5.2, RFC 6750 §3). */
class PrintableTextTest {

    @Test
    void ofWhenTextHasQuotesBackslashControlAndNonAsciiThenEachBecomesQuestionMark() {
        assertThat(PrintableText.of("a\"b\\c\nd\u00e9e\u007f f!")).isEqualTo("a?b?c?d?e? f!");
    }

    @Test
    void quotedWhenValueLongThenCutAndSingleQuotesReplaced() {
        assertThat(PrintableText.quoted("it's")).isEqualTo("'it?s'");
        assertThat(PrintableText.quoted("x".repeat(100))).isEqualTo("'" + "x".repeat(40) + "'");
    }
}
