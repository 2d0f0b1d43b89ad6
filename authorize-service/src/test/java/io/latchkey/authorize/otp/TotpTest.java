package io.latchkey.authorize.otp;

import static org.assertj.core.api.Assertions.assertThat;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6238 codes, the verification window, and agreement with an independent implementation via the otpauth URI. */
class TotpTest {

    /** RFC 6238 Appendix B: the SHA-1 seed is the ASCII of "12345678901234567890". */
    private static final byte[] RFC_SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @CsvSource({
            "59, 94287082",
            "1111111109, 07081804",
            "1111111111, 14050471",
            "1234567890, 89005924",
            "2000000000, 69279037",
            "20000000000, 65353130"})
    void codeAtTheRfc6238TestTimesIsTheLastSixDigitsOfTheRfcValue(long time, String rfcEightDigits) {
        assertThat(Totp.code(RFC_SEED, Totp.step(Instant.ofEpochSecond(time)))).isEqualTo(rfcEightDigits.substring(2));
    }

    @Test
    void stepCountsThirtySecondsFromTheEpoch() {
        assertThat(Totp.step(Instant.ofEpochSecond(0))).isZero();
        assertThat(Totp.step(Instant.ofEpochSecond(29))).isZero();
        assertThat(Totp.step(Instant.ofEpochSecond(30))).isEqualTo(1);
        assertThat(Totp.step(Instant.ofEpochSecond(59))).isEqualTo(1);
        assertThat(Totp.step(Instant.ofEpochSecond(1111111111))).isEqualTo(0x23523ED);
        assertThat(Totp.step(Instant.ofEpochSecond(1111111109))).isEqualTo(0x23523EC);
    }

    @Test
    void newSecretIsTwentyRandomBytes() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            byte[] secret = Totp.newSecret();
            assertThat(secret).hasSize(20);
            seen.add(Arrays.toString(secret));
        }
        assertThat(seen).hasSize(50);
    }

    @Test
    void matchingStepWhenCodeOfAnAuthenticatorAppThenAcceptedWithinOneStepEitherSideOnly() throws Exception {
        byte[] secret = Totp.newSecret();
        // What an app does: scan the URI, Base32-decode its secret, compute HMAC-SHA1 TOTP itself.
        byte[] scanned = new Base32().decode(query(URI.create(Totp.otpauthUri("Latchkey", "alice", secret))).get("secret"));
        assertThat(scanned).isEqualTo(secret);
        var app = new TimeBasedOneTimePasswordGenerator(Duration.ofSeconds(30), 6, TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1);
        var key = new SecretKeySpec(scanned, "HmacSHA1");

        Instant now = Instant.ofEpochSecond(1_700_000_015);
        long step = Totp.step(now);
        for (int offset = -1; offset <= 1; offset++) {
            String code = app.generateOneTimePasswordString(key, now.plusSeconds(30L * offset));
            assertThat(Totp.matchingStep(secret, code, now)).as("step %d", offset).isEqualTo(OptionalLong.of(step + offset));
        }
        String twoStepsOld = app.generateOneTimePasswordString(key, now.minusSeconds(60));
        String twoStepsAhead = app.generateOneTimePasswordString(key, now.plusSeconds(60));
        // A collision with a code inside the window would make this test meaningless for this secret.
        assertThat(Set.of(twoStepsOld, twoStepsAhead)).doesNotContain(Totp.code(secret, step - 1), Totp.code(secret, step),
                Totp.code(secret, step + 1));
        assertThat(Totp.matchingStep(secret, twoStepsOld, now)).isEmpty();
        assertThat(Totp.matchingStep(secret, twoStepsAhead, now)).isEmpty();
    }

    @Test
    void matchingStepWhenCodeIsTypedWithSpacesThenAccepted() {
        byte[] secret = Totp.newSecret();
        Instant now = Instant.now();
        String code = Totp.code(secret, Totp.step(now));
        assertThat(Totp.matchingStep(secret, code.substring(0, 3) + " " + code.substring(3), now)).hasValue(Totp.step(now));
        assertThat(Totp.matchingStep(secret, " " + code + " ", now)).hasValue(Totp.step(now));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "12345", "1234567", "12345a", "١٢٣٤٥٦", "123456\n", "+12345", "-12345", "12 34 5"})
    void matchingStepWhenInputIsNotSixAsciiDigitsThenRefused(String input) {
        // Even if the six digits in it were right: only exactly six ASCII digits are a code.
        assertThat(Totp.matchingStep(RFC_SEED, input, Instant.ofEpochSecond(59))).isEmpty();
    }

    @Test
    void matchingStepWhenNullOrHugeInputThenRefused() {
        assertThat(Totp.matchingStep(RFC_SEED, null, Instant.ofEpochSecond(59))).isEmpty();
        assertThat(Totp.matchingStep(RFC_SEED, " ".repeat(10_000) + "287082", Instant.ofEpochSecond(59))).isEmpty();
        assertThat(Totp.matchingStep(RFC_SEED, "287082", Instant.ofEpochSecond(59))).hasValue(1);
    }

    @Test
    void otpauthUriFollowsTheKeyUriFormatWithPercentEncodedLabel() {
        byte[] secret = "Hello!\u00de\u00ad\u00be\u00ef".getBytes(StandardCharsets.ISO_8859_1);
        String uri = Totp.otpauthUri("ACME Co", "jane:doe@example.com", secret);
        assertThat(uri).isEqualTo("otpauth://totp/ACME%20Co:jane%3Adoe%40example.com?secret=JBSWY3DPEHPK3PXP"
                + "&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30");
    }

    @Test
    void otpauthUriHasNoBase32Padding() {
        // 20 bytes are exactly 32 Base32 characters; 11 bytes would need padding.
        assertThat(query(URI.create(Totp.otpauthUri("I", "a", new byte[11]))).get("secret")).isEqualTo("AAAAAAAAAAAAAAAAAA");
        assertThat(query(URI.create(Totp.otpauthUri("I", "a", new byte[20]))).get("secret")).hasSize(32);
    }

    @Test
    void otpauthUriWhenNonAsciiNamesThenUtf8PercentEncoded() {
        String uri = Totp.otpauthUri("Ärzte", "jürgen", new byte[20]);
        assertThat(uri).startsWith("otpauth://totp/%C3%84rzte:j%C3%BCrgen?").contains("&issuer=%C3%84rzte&");
        assertThat(URI.create(uri).getPath()).isEqualTo("/Ärzte:jürgen");
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] nameValue = pair.split("=", 2);
            parameters.put(nameValue[0], java.net.URLDecoder.decode(nameValue[1], StandardCharsets.UTF_8));
        }
        return parameters;
    }
}
