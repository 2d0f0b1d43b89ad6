package io.latchkey.model.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.text.Normalizer;
import org.junit.jupiter.api.Test;

/** Usernames holds the PRECIS library to RFC 8265's UsernameCaseMapped profile (§3.3) and its examples (§3.5). */
class UsernamesTest {

    @Test
    void lookAlikeSpellingsOfOneNameAreOneAccount() {
        // Width mapping (§3.3.1 step 1): fullwidth letters are their ASCII decomposition.
        assertThat(Usernames.canonical("\uFF41\uFF4C\uFF49\uFF43\uFF45")).isEqualTo("alice");
        // Case mapping (step 3).
        assertThat(Usernames.canonical("Alice")).isEqualTo("alice");
        assertThat(Usernames.canonical("\uFF21\uFF2C\uFF29\uFF23\uFF25")).isEqualTo("alice");
        // Normalization to NFC (step 4): decomposed and composed café are one name, stored composed.
        String nfd = Normalizer.normalize("caf\u00e9", Normalizer.Form.NFD);
        assertThat(nfd).isNotEqualTo("caf\u00e9");
        assertThat(Usernames.canonical(nfd)).isEqualTo("caf\u00e9").isEqualTo(Usernames.canonical("CAF\u00c9"));
    }

    @Test
    void rfcExamplesThatAreValidKeepTheirMeaning() {
        assertThat(Usernames.canonical("juliet@example.com")).isEqualTo("juliet@example.com");
        assertThat(Usernames.canonical("fussball")).isEqualTo("fussball");
        // toLowerCase, not case folding: sharp s stays and is not "ss" (RFC 8265 §3.3.1, Appendix A).
        assertThat(Usernames.canonical("fu\u00dfball")).isEqualTo("fu\u00dfball").isNotEqualTo(Usernames.canonical("fussball"));
        assertThat(Usernames.canonical("\u03c0")).isEqualTo("\u03c0");
        assertThat(Usernames.canonical("\u03a3")).isEqualTo("\u03c3");
        assertThat(Usernames.canonical("\u03c3")).isEqualTo("\u03c3");
        assertThat(Usernames.canonical("\u03c2")).isEqualTo("\u03c2");
    }

    @Test
    void whatTheIdentifierClassDisallowsIsRefused() {
        String[] refused = {
                "foo bar",            // space (RFC 8264 §9.14)
                "",                   // empty (RFC 8265 §3.3.2)
                "henry\u2163",        // ROMAN NUMERAL FOUR: has a compatibility decomposition (§9.17)
                "\u265a",             // BLACK CHESS KING: a symbol (§9.15)
                "ali\u200dce",        // ZERO WIDTH JOINER outside its context (§9.8)
                "\ufb01sh",           // LATIN SMALL LIGATURE FI: compatibility character
                "al\u0000ice",        // control character (§9.12)
                "\u05d0a",            // Bidi Rule (RFC 5893) broken: RTL label with an LTR letter
        };
        for (String name : refused) {
            assertThatThrownBy(() -> Usernames.canonical(name)).as(name)
                    .isInstanceOf(Usernames.InvalidUsernameException.class)
                    .hasMessageContaining("RFC 8265");
            assertThat(Usernames.canonicalIfValid(name)).as(name).isEmpty();
        }
    }

    @Test
    void enforcementIsIdempotent() {
        for (String name : new String[] {"\uFF41lice", "Caf\u0065\u0301", "\u03a3\u03b1\u03c2", "I\u0307stanbul"}) {
            String once = Usernames.canonical(name);
            assertThat(Usernames.canonical(once)).as(name).isEqualTo(once);
        }
    }

    @Test
    void comparableTextOfARefusedNameNeverEqualsAnAccount() {
        assertThat(Usernames.comparable("ALICE")).isEqualTo("alice");
        assertThat(Usernames.comparable("foo bar")).isEqualTo("foo bar");
        assertThat(Usernames.canonicalIfValid(Usernames.comparable("foo bar"))).isEmpty();
    }
}
