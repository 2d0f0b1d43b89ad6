package io.latchkey.token.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.latchkey.token.crypto.CryptoProvider.Mode;
import io.latchkey.token.crypto.CryptoProvider.Selection;
import java.security.Provider;
import java.security.Security;
import org.junit.jupiter.api.Test;

/** install(JDK) in a JVM of its own, where nothing has installed ACCP. */
class CryptoProviderJdkModeTest {

    @Test
    void installWhenJdkThenProviderListUntouchedAndTheJdkSigns() throws Exception {
        Provider[] before = Security.getProviders();

        Selection selection = CryptoProvider.install(Mode.JDK);

        assertThat(Security.getProviders()).containsExactly(before);
        assertThat(Security.getProvider(CryptoProvider.ACCP)).isNull();
        assertThat(selection.accp()).isFalse();
        assertThat(selection.name()).isEqualTo("JDK");
        assertThat(selection.version()).isEqualTo(System.getProperty("java.version"));
        assertThat(selection.signers()).containsExactly(entry("RS256", "SunRsaSign"), entry("ES256", "SunEC"), entry("EdDSA", "SunEC"));
        assertThat(selection.fallbackReason()).isEmpty();
        assertThat(selection.describe()).isEqualTo("JDK " + System.getProperty("java.version")
                + " (RS256 by SunRsaSign; ES256, EdDSA by SunEC)");
        assertThat(CryptoProvider.install(Mode.JDK)).isEqualTo(selection);
        for (String alg : JoseKeys.JCA.keySet()) {
            assertThat(JoseKeys.signerOf(JoseKeys.jdkKey(alg))).isEqualTo(JoseKeys.JDK.get(alg));
        }
    }
}
