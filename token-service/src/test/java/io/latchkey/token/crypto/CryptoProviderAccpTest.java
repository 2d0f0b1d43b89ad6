package io.latchkey.token.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.latchkey.token.crypto.CryptoProvider.Mode;
import io.latchkey.token.crypto.CryptoProvider.Selection;
import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** install(ACCP) on this platform (linux-x86_64, the native library the build ships). A JVM of its own. */
class CryptoProviderAccpTest {

    private static final String ACCP = CryptoProvider.ACCP;

    @Test
    void installWhenAccpThenAccpIsFirstAndSignsEveryAlgorithm() {
        Selection selection = CryptoProvider.install(Mode.ACCP);

        assertThat(selection.accp()).isTrue();
        assertThat(selection.name()).isEqualTo(ACCP);
        assertThat(selection.version()).isEqualTo("2.5.0");
        assertThat(selection.signers()).containsExactly(entry("RS256", ACCP), entry("ES256", ACCP), entry("EdDSA", ACCP));
        assertThat(selection.fallbackReason()).isEmpty();
        assertThat(selection.describe()).isEqualTo(ACCP + " 2.5.0 (RS256, ES256, EdDSA by " + ACCP + ")");
        assertThat(Security.getProviders()[0].getName()).isEqualTo(ACCP);
    }

    @Test
    void installTwiceThenSameSelectionAndAccpListedOnce() {
        Selection first = CryptoProvider.install(Mode.ACCP);
        Provider[] providers = Security.getProviders();

        assertThat(CryptoProvider.install(Mode.ACCP)).isEqualTo(first);
        assertThat(CryptoProvider.install(Mode.AUTO)).isEqualTo(first);
        assertThat(Security.getProviders()).containsExactly(providers);
        assertThat(Arrays.stream(providers).filter(p -> p.getName().equals(ACCP))).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "ES256", "EdDSA"})
    void keyMadeByTheJdkThenAccpSignsAndTheJdkVerifiesAndViceVersa(String alg) throws Exception {
        CryptoProvider.install(Mode.ACCP);
        PublicJsonWebKey key = JoseKeys.jdkKey(alg);
        String jdk = JoseKeys.JDK.get(alg);

        // ACCP accepts the JDK's key objects rather than passing them on to the next provider.
        assertThat(JoseKeys.signerOf(key)).isEqualTo(ACCP);
        assertThat(JoseKeys.verifierOf(key)).isEqualTo(ACCP);
        String byAccp = JoseKeys.sign(key, null);
        assertThat(JoseKeys.verifies(byAccp, key, jdk)).isTrue();
        String byJdk = JoseKeys.sign(key, jdk);
        assertThat(JoseKeys.verifies(byJdk, key, null)).isTrue();
        assertThat(JoseKeys.verifies(byJdk, key, ACCP)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "ES256", "EdDSA"})
    void keyParsedFromJwkSetAfterInstallThenAccpSignsAndTheJdkVerifies(String alg) throws Exception {
        CryptoProvider.install(Mode.ACCP);
        PublicJsonWebKey made = JoseKeys.jdkKey(alg);
        PublicJsonWebKey parsed = PublicJsonWebKey.Factory.newPublicJwk(made.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));

        assertThat(JoseKeys.signerOf(parsed)).isEqualTo(ACCP);
        String byAccp = JoseKeys.sign(parsed, null);
        assertThat(JoseKeys.verifies(byAccp, made, JoseKeys.JDK.get(alg))).isTrue();
    }
}
