package io.latchkey.authorize.passkeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** The RP ID and origin derived from the issuer, and the start-up refusal of IP addresses. */
class RelyingPartyTest {

    @Test
    void problemWhenIssuerHostIsAnIpAddressThenNamesTheSetting() {
        assertThat(RelyingParty.problem(URI.create("http://127.0.0.1:8080"))).hasValueSatisfying(message -> assertThat(message)
                .contains("127.0.0.1").contains("IP address").contains("latchkey.passkeys.enabled=false"));
        assertThat(RelyingParty.problem(URI.create("http://[::1]:8080"))).isPresent();
        assertThat(RelyingParty.problem(URI.create("https://id.example.com"))).isEmpty();
        assertThat(RelyingParty.problem(URI.create("http://localhost:8080"))).isEmpty();
    }

    @Test
    void originKeepsOnlyAPortThatIsNotTheDefault() {
        assertThat(RelyingParty.origin(URI.create("http://localhost:8080"))).isEqualTo("http://localhost:8080");
        assertThat(RelyingParty.origin(URI.create("https://ID.Example.com:443/realms/x"))).isEqualTo("https://id.example.com");
        assertThat(RelyingParty.origin(URI.create("https://id.example.com:8443/"))).isEqualTo("https://id.example.com:8443");
    }
}
