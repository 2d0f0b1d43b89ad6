package io.latchkey.token.crypto;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import org.jboss.logging.Logger;

/**
 * The JCA provider that signs tokens: the Amazon Corretto Crypto Provider (ACCP, AWS-LC underneath) when
 * it can be used, else the JDK's own providers. One place for token-service and the bench to install it.
 *
 * <p>Installing is global to the JVM (ACCP goes first in {@link Security}'s list) and must happen before
 * any signing key is parsed: keys parsed afterwards are ACCP's own key objects, while a JDK key object is
 * converted again on every signature, which takes nearly all of RS256's gain and half of ES256's
 * (docs/token-leg.md). Algorithms ACCP does not offer fall through to the next provider in the list, so
 * {@link Selection#signers()} is the truth per algorithm.
 */
public final class CryptoProvider {

    /** {@link Provider#getName()} of ACCP. */
    public static final String ACCP = "AmazonCorrettoCryptoProvider";

    private static final Logger LOG = Logger.getLogger(CryptoProvider.class);

    /** The JWS algorithms Latchkey signs with, and the JCA signature jose4j asks for each. */
    private static final Map<String, String> JCA_SIGNATURES = orderedMap(
            "RS256", "SHA256withRSA",
            "ES256", "SHA256withECDSA",
            "EdDSA", "EdDSA");

    private static Mode installedMode;
    private static Selection installed;

    private CryptoProvider() {
    }

    public enum Mode {
        /** ACCP when its native library loads and passes its self-tests, else the JDK's providers. */
        AUTO,
        /** The JDK's providers; ACCP is not even loaded. */
        JDK,
        /** ACCP or nothing: {@link #install} throws when it cannot be used. */
        ACCP
    }

    /**
     * Which provider signs: {@code name} is {@value #ACCP} or {@code JDK}, {@code signers} maps each JWS
     * algorithm to the provider that signs it, {@code fallbackReason} says why ACCP is not used in
     * {@link Mode#AUTO}.
     */
    public record Selection(String name, String version, Map<String, String> signers, Optional<String> fallbackReason) {

        public boolean accp() {
            return ACCP.equals(name);
        }

        /** For a log: "JDK 17.0.15 (RS256 by SunRsaSign; ES256, EdDSA by SunEC)". */
        public String describe() {
            Map<String, List<String>> byProvider = new LinkedHashMap<>();
            signers.forEach((alg, provider) -> byProvider.computeIfAbsent(provider, p -> new ArrayList<>()).add(alg));
            StringJoiner parts = new StringJoiner("; ", name + " " + version + " (", ")");
            byProvider.forEach((provider, algs) -> parts.add(String.join(", ", algs) + " by " + provider));
            return parts.toString();
        }
    }

    /**
     * Installs the provider of this mode, once: later calls with the same mode return the first answer.
     * {@link Mode#JDK} leaves the provider list as it is.
     *
     * @throws IllegalStateException in {@link Mode#ACCP} when ACCP cannot be used, with ACCP's reason
     */
    public static synchronized Selection install(Mode mode) {
        if (mode == installedMode) {
            return installed;
        }
        Selection selection = switch (mode) {
            case JDK -> current(Optional.empty());
            case ACCP -> {
                Optional<String> problem = Accp.install();
                if (problem.isPresent()) {
                    throw new IllegalStateException("The Amazon Corretto Crypto Provider was required but cannot be used: "
                            + problem.get());
                }
                yield current(Optional.empty());
            }
            case AUTO -> {
                Optional<String> problem = Accp.install();
                problem.ifPresent(reason -> LOG.warnf(
                        "The Amazon Corretto Crypto Provider cannot be used, tokens are signed by the JDK's providers: %s", reason));
                yield current(problem);
            }
        };
        installedMode = mode;
        installed = selection;
        return selection;
    }

    private static Selection current(Optional<String> fallbackReason) {
        Map<String, String> signers = new LinkedHashMap<>();
        JCA_SIGNATURES.forEach((alg, jca) -> signers.put(alg, signer(jca)));
        Provider first = Security.getProviders()[0];
        return ACCP.equals(first.getName())
                ? new Selection(ACCP, first.getVersionStr(), Collections.unmodifiableMap(signers), fallbackReason)
                : new Selection("JDK", System.getProperty("java.version"), Collections.unmodifiableMap(signers), fallbackReason);
    }

    private static String signer(String jcaSignature) {
        try {
            return Signature.getInstance(jcaSignature).getProvider().getName();
        } catch (NoSuchAlgorithmException e) {
            return "none";
        }
    }

    private static Map<String, String> orderedMap(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    /** The only code that touches ACCP's classes, so that {@link Mode#JDK} never loads its native library. */
    private static final class Accp {

        /** Puts ACCP first in the provider list; empty when it is there, else the reason it cannot be. */
        static Optional<String> install() {
            AmazonCorrettoCryptoProvider accp;
            try {
                accp = AmazonCorrettoCryptoProvider.INSTANCE;
            } catch (LinkageError e) {
                return Optional.of("its classes cannot be loaded: " + e);
            }
            // ACCP's class loads even where its native library does not; it keeps the error instead.
            if (accp.getLoadingError() != null) {
                return Optional.of("its native library did not load: " + accp.getLoadingError());
            }
            try {
                accp.assertHealthy();
            } catch (RuntimeException e) {
                return Optional.of("its self-tests failed: " + e);
            }
            if (Security.getProviders()[0] != accp) {
                // A provider of that name that is not this instance comes from an earlier class loader
                // (a Quarkus dev-mode or test restart); the new one replaces it.
                Security.removeProvider(ACCP);
                Security.insertProviderAt(accp, 1);
            }
            return Optional.empty();
        }
    }
}
