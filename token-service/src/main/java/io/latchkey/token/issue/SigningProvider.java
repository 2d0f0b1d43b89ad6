package io.latchkey.token.issue;

import io.latchkey.token.TokenServiceConfig;
import io.latchkey.token.crypto.CryptoProvider;
import io.latchkey.token.metrics.TokenMetrics;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Installs the crypto provider of {@code token-service.crypto-provider} as the first thing at start-up,
 * before any other start-up bean or any request can make KeyRing parse the signing keys: keys parsed
 * after ACCP is installed are ACCP's own objects, which it signs with at full speed.
 */
@Startup(Interceptor.Priority.PLATFORM_BEFORE)
@Singleton
public class SigningProvider {

    private static final Logger LOG = Logger.getLogger(SigningProvider.class);

    private final CryptoProvider.Selection selection;

    public SigningProvider(TokenServiceConfig config, TokenMetrics metrics) {
        try {
            this.selection = CryptoProvider.install(config.cryptoProvider());
        } catch (IllegalStateException e) {
            throw new IllegalStateException("token-service.crypto-provider=accp: " + e.getMessage()
                    + "; set it to auto to sign with the JDK's providers instead", e);
        }
        LOG.infof("Tokens are signed by %s (token-service.crypto-provider=%s)", selection.describe(),
                config.cryptoProvider().name().toLowerCase(Locale.ROOT));
        metrics.cryptoProvider(selection);
    }

    public CryptoProvider.Selection selection() {
        return selection;
    }

    /**
     * Whether a signature with {@code alg} is cheap enough to make on the event loop: ES256 and EdDSA
     * under ACCP cost 25 to 35 µs of CPU, about what handing the work to a worker thread and back costs.
     * RSA (0.3 ms under ACCP, 1 ms under the JDK) and every algorithm under the JDK's providers (0.5 ms
     * and more) stay on worker threads.
     */
    public boolean signsOnEventLoop(String alg) {
        return !"RS256".equals(alg) && CryptoProvider.ACCP.equals(selection.signers().get(alg));
    }
}
