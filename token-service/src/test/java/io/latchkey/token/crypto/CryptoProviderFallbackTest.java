package io.latchkey.token.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.token.crypto.CryptoProvider.Mode;
import io.latchkey.token.crypto.CryptoProvider.Selection;
import java.nio.file.Files;
import java.security.Provider;
import java.security.Security;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ACCP whose native library cannot load, as on a platform the jar has no library for: it is unpacked
 * into a temporary directory, which here cannot be made (its parent is a file). A JVM of its own, so
 * that ACCP has not been loaded yet.
 */
class CryptoProviderFallbackTest {

    @BeforeAll
    static void nativeLibraryCannotBeUnpacked() throws Exception {
        System.setProperty("com.amazon.corretto.crypto.provider.tmpdir", Files.createTempFile("not-a-directory", "").toString());
    }

    @Test
    void installWhenAutoAndAccpCannotLoadThenTheJdkSignsAndTheReasonIsAccpsError() {
        Provider[] before = Security.getProviders();

        Selection selection = CryptoProvider.install(Mode.AUTO);

        assertThat(selection.name()).isEqualTo("JDK");
        assertThat(selection.signers()).containsValues("SunRsaSign", "SunEC").doesNotContainValue(CryptoProvider.ACCP);
        assertThat(selection.fallbackReason()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("native library did not load").contains("Unable to create temporary directory"));
        assertThat(Security.getProviders()).containsExactly(before);
    }

    @Test
    void installWhenAccpRequiredAndAccpCannotLoadThenStartUpFailsWithTheReason() {
        Provider[] before = Security.getProviders();

        assertThatThrownBy(() -> CryptoProvider.install(Mode.ACCP))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Amazon Corretto Crypto Provider was required but cannot be used")
                .hasMessageContaining("Unable to create temporary directory");
        assertThat(Security.getProviders()).containsExactly(before);
    }
}
