package io.latchkey.model.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatchkeySettingsCheckTest {

    private static LatchkeyConfig config(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(Map.of("latchkey.issuer", "https://id.example.com"));
        all.putAll(properties);
        return new SmallRyeConfigBuilder()
                .withMapping(LatchkeyConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(all, "test", 100))
                .build()
                .getConfigMapping(LatchkeyConfig.class);
    }

    @Test
    void defaultsAreValid() {
        LatchkeyConfig config = config(Map.of());
        assertThat(LatchkeySettingsCheck.problems(config)).isEmpty();
        assertThat(config.lifetimes().code()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.lifetimes().request()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.lifetimes().refreshTokenMax()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void httpIssuerIsAllowedOnlyForLoopback() {
        assertThat(LatchkeySettingsCheck.problems(config(Map.of("latchkey.issuer", "http://localhost:8080")))).isEmpty();
        assertThat(LatchkeySettingsCheck.problems(config(Map.of("latchkey.issuer", "http://127.0.0.1:8080")))).isEmpty();
        assertThat(LatchkeySettingsCheck.problems(config(Map.of("latchkey.issuer", "http://id.example.com"))))
                .singleElement().asString().contains("latchkey.issuer", "https");
    }

    @Test
    void issuerWithQueryFragmentOrTrailingSlashIsRefused() {
        for (String bad : new String[] {"https://id.example.com/?x=1", "https://id.example.com#f", "https://id.example.com/", "id.example.com", "::"}) {
            assertThat(LatchkeySettingsCheck.problems(config(Map.of("latchkey.issuer", bad)))).as(bad)
                    .singleElement().asString().contains("latchkey.issuer");
        }
    }

    @Test
    void registrationIsClosedAndUnpublishedByDefaultAndItsEndpointMustBeAPublicUrl() {
        LatchkeyConfig defaults = config(Map.of());
        assertThat(defaults.registration().open()).isFalse();
        assertThat(defaults.registration().endpoint()).isEmpty();
        assertThat(LatchkeySettingsCheck.problems(config(Map.of("latchkey.registration.endpoint", "https://admin.example.com/register"))))
                .isEmpty();
        assertThat(LatchkeySettingsCheck.problems(config(Map.of("latchkey.registration.endpoint", "http://admin.example.com/register"))))
                .singleElement().asString().contains("latchkey.registration.endpoint", "https");
    }

    @Test
    void inconsistentLifetimesAreEachNamed() {
        var problems = LatchkeySettingsCheck.problems(config(Map.of(
                "latchkey.lifetimes.code", "11m",
                "latchkey.lifetimes.session-idle", "48h",
                "latchkey.lifetimes.access-token", "0s")));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("latchkey.lifetimes.code", "10 minutes"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("session-idle"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("latchkey.lifetimes.access-token must be positive"));
    }

    @Test
    void rotationThatCouldSignBeforeEveryReplicaHasTheKeyOrDropAKeyWhileItsTokensLiveIsRefused() {
        var problems = LatchkeySettingsCheck.problems(config(Map.of(
                "latchkey.keys.reload-interval", "10s",
                "latchkey.keys.rotation.publish-ahead", "15s",
                "latchkey.keys.rotation.retire-after", "4m")));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("publish-ahead", "twice latchkey.keys.reload-interval"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("retire-after", "longest token lifetime"));
        assertThat(LatchkeySettingsCheck.problems(config(Map.of("latchkey.keys.rotation.signing-period", "1h"))))
                .singleElement().asString().contains("signing-period must exceed");
        // A key file is rotated by hand: the schedule is not read, so not checked.
        assertThat(LatchkeySettingsCheck.problems(config(Map.of("latchkey.keys.file", "/etc/latchkey/keys/jwks.json",
                "latchkey.keys.rotation.publish-ahead", "1s")))).isEmpty();
        assertThat(LatchkeySettingsCheck.problems(config(Map.of("latchkey.keys.rotation.enabled", "false",
                "latchkey.keys.rotation.publish-ahead", "1s")))).isEmpty();
    }
}
