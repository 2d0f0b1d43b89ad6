package io.latchkey.model.form;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one form and query parser of both services. */
class ParametersTest {

    @Test
    void ofWhenSingleValuesThenReadAsParsedOnesAreAndAnEmptyValueIsAbsent() {
        Map<String, String> stored = new LinkedHashMap<>();
        stored.put("scope", "openid profile");
        stored.put("state", "");
        Parameters params = Parameters.of(stored);
        assertThat(params.single("scope")).hasValue("openid profile");
        assertThat(params.single("state")).isEmpty();
        assertThat(params.repeated("scope")).isFalse();
        assertThat(params.names()).containsExactly("scope", "state");
    }

    @Test
    void parseWhenPercentEncodedUtf8ThenDecoded() {
        Parameters params = Parameters.parse("state=caf%C3%A9+au+lait&scope=openid%20profile&empty=&flag");
        assertThat(params.single("state")).hasValue("café au lait");
        assertThat(params.single("scope")).hasValue("openid profile");
        assertThat(params.single("empty")).isEmpty();
        assertThat(params.single("flag")).isEmpty();
        assertThat(params.names()).containsExactly("state", "scope", "empty", "flag");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=%", "a=%4", "a=%zz", "a=%4g", "%=x", "a=b%"})
    void parseWhenPercentEncodingMalformedThenInvalidRequest(String raw) {
        assertInvalid(() -> Parameters.parse(raw), "The request has a malformed percent-encoding.");
    }

    @ParameterizedTest
    // A lone continuation byte, a truncated sequence, an overlong '/', an encoded surrogate (CESU-8).
    @ValueSource(strings = {"a=%80", "a=%C3", "a=%C0%AF", "a=%ED%A0%80", "a=%FF"})
    void parseWhenBytesAreNotUtf8ThenInvalidRequestNotReplacementCharacter(String raw) {
        assertInvalid(() -> Parameters.parse(raw), "The request parameters are not valid UTF-8.");
    }

    @Test
    void parseBodyWhenRawBytesAreNotUtf8ThenInvalidRequest() {
        byte[] latin1 = "state=caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        assertInvalid(() -> Parameters.parseBody(latin1), "The request parameters are not valid UTF-8.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=%00", "a=%0A", "a=%0D", "a=%1B", "a=%7F", "a%09=b", "a=x\ty"})
    void parseWhenControlCharacterThenInvalidRequest(String raw) {
        assertInvalid(() -> Parameters.parse(raw), "The request parameters contain control characters.");
    }

    @Test
    void parseWhenParameterRepeatedThenEveryValueKeptAndDetectable() {
        Parameters params = Parameters.parse("client_id=a&state=s&client_id=b");
        assertThat(params.repeated("client_id")).isTrue();
        assertThat(params.repeated("state")).isFalse();
        assertThat(params.firstRepeated()).hasValue("client_id");
        assertThat(Parameters.parse("a=1&b=2").firstRepeated()).isEmpty();
    }

    @Test
    void parseBodyWhenExactlyAtTheLimitInBytesThenParsed() {
        // "é" is two bytes of UTF-8: a body of 8 bytes in 5 characters.
        byte[] body = "a=\u00e9\u00e9\u00e9".getBytes(StandardCharsets.UTF_8);
        assertThat(body).hasSize(8);
        assertThat(Parameters.parseBody(body, 8).single("a")).hasValue("ééé");
        assertInvalid(() -> Parameters.parseBody(body, 7), "The request body is too large.");
    }

    @Test
    void parseWhenRawQueryWithinLimitInCharactersButOverInBytesThenInvalidRequest() {
        String raw = "a=" + "\u00e9".repeat(5);
        assertThat(raw).hasSize(7);
        assertThat(Parameters.parse(raw, 12).single("a")).hasValue("ééééé");
        assertInvalid(() -> Parameters.parse(raw, 11), "The request is too large.");
    }

    @Test
    void lengthCountsBytesOfUtf8NotCharacters() {
        Parameters params = Parameters.parse("ascii=abc&e=%C3%A9&euro=%E2%82%AC&emoji=%F0%9F%94%91&two=a&two=%E2%82%AC%E2%82%AC");
        assertThat(params.length("ascii")).isEqualTo(3);
        assertThat(params.length("e")).isEqualTo(2);
        assertThat(params.length("euro")).isEqualTo(3);
        assertThat(params.length("emoji")).isEqualTo(4);
        assertThat(params.length("two")).isEqualTo(6);
        assertThat(params.length("absent")).isZero();
    }

    @Test
    void parseFormWhenContentTypeIsNotFormThenInvalidRequest() {
        byte[] body = "grant_type=x".getBytes(StandardCharsets.US_ASCII);
        assertInvalid(() -> Parameters.parseForm("application/json", body, 100),
                "The request body must be application/x-www-form-urlencoded.");
        assertInvalid(() -> Parameters.parseForm(null, body, 100),
                "The request body must be application/x-www-form-urlencoded.");
        assertThat(Parameters.parseForm("Application/X-WWW-Form-Urlencoded; charset=UTF-8", body, 100).single("grant_type"))
                .hasValue("x");
    }

    @Test
    void restrictedViewWhenUndeclaredParameterReadThenProgrammingError() {
        Parameters view = Parameters.parse("code=c&scope=s").restrictedTo(List.of("code"));
        assertThat(view.single("code")).hasValue("c");
        assertThatThrownBy(() -> view.single("scope")).isInstanceOf(IllegalStateException.class)
                .hasMessage("Parameter scope was not declared.");
        assertThatThrownBy(() -> view.has("anything")).isInstanceOf(IllegalStateException.class);
    }

    private static AbstractThrowableAssert<?, ?> assertInvalid(Runnable parse, String description) {
        return assertThatThrownBy(parse::run).isInstanceOfSatisfying(OAuthException.class, e -> {
            assertThat(e.error()).isEqualTo(OAuthError.INVALID_REQUEST);
            assertThat(e.description()).isEqualTo(description);
        });
    }
}
