package io.latchkey.model.config;

import io.latchkey.model.dpop.DpopConfig;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Refuses to start with settings that would make the provider insecure or inconsistent. */
@Startup
@Singleton
public class LatchkeySettingsCheck {

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

    private final LatchkeyConfig config;
    private final DpopConfig dpop;

    public LatchkeySettingsCheck(LatchkeyConfig config, DpopConfig dpop) {
        this.config = config;
        this.dpop = dpop;
    }

    @PostConstruct
    void check() {
        List<String> problems = problems(config);
        problems.addAll(problems(dpop));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid Latchkey settings:\n  - " + String.join("\n  - ", problems));
        }
    }

    static List<String> problems(LatchkeyConfig config) {
        List<String> problems = new ArrayList<>();
        issuerProblem(config.issuer()).ifPresent(problems::add);
        config.registration().endpoint().flatMap(LatchkeySettingsCheck::registrationEndpointProblem).ifPresent(problems::add);
        var l = config.lifetimes();
        positive(problems, "latchkey.lifetimes.code", l.code());
        positive(problems, "latchkey.lifetimes.code-replay-window", l.codeReplayWindow());
        positive(problems, "latchkey.lifetimes.request", l.request());
        positive(problems, "latchkey.lifetimes.session-idle", l.sessionIdle());
        positive(problems, "latchkey.lifetimes.session-max", l.sessionMax());
        positive(problems, "latchkey.lifetimes.access-token", l.accessToken());
        positive(problems, "latchkey.lifetimes.id-token", l.idToken());
        positive(problems, "latchkey.lifetimes.refresh-token-idle", l.refreshTokenIdle());
        positive(problems, "latchkey.lifetimes.refresh-token-max", l.refreshTokenMax());
        positive(problems, "latchkey.redis.timeout", config.redis().timeout());
        positive(problems, "latchkey.keys.reload-interval", config.keys().reloadInterval());
        var rotation = config.keys().rotation();
        if (rotation.enabled() && config.keys().file().isEmpty()) {
            rotationProblems(problems, rotation, config.keys().reloadInterval(), l);
        }
        if (l.code().compareTo(Duration.ofMinutes(10)) > 0) {
            problems.add("latchkey.lifetimes.code is " + l.code() + "; RFC 6749 4.1.2 allows at most 10 minutes.");
        }
        if (l.codeReplayWindow().compareTo(l.code()) < 0) {
            problems.add("latchkey.lifetimes.code-replay-window must be at least latchkey.lifetimes.code.");
        }
        if (l.sessionIdle().compareTo(l.sessionMax()) > 0) {
            problems.add("latchkey.lifetimes.session-idle must not exceed latchkey.lifetimes.session-max.");
        }
        if (l.refreshTokenIdle().compareTo(l.refreshTokenMax()) > 0) {
            problems.add("latchkey.lifetimes.refresh-token-idle must not exceed latchkey.lifetimes.refresh-token-max.");
        }
        return problems;
    }

    /**
     * A staged key must reach every replica before it signs (each reads the set once per reload interval; twice
     * leaves room for a slow read), and must stay published while a token it signed may still be checked.
     */
    private static void rotationProblems(List<String> problems, LatchkeyConfig.Rotation rotation, Duration reload,
            LatchkeyConfig.Lifetimes l) {
        positive(problems, "latchkey.keys.rotation.signing-period", rotation.signingPeriod());
        positive(problems, "latchkey.keys.rotation.publish-ahead", rotation.publishAhead());
        if (rotation.publishAhead().compareTo(reload.multipliedBy(2)) < 0) {
            problems.add("latchkey.keys.rotation.publish-ahead must be at least twice latchkey.keys.reload-interval ("
                    + reload.multipliedBy(2) + "), so that every replica publishes a key before any signs with it.");
        }
        if (rotation.signingPeriod().compareTo(rotation.publishAhead()) <= 0) {
            problems.add("latchkey.keys.rotation.signing-period must exceed latchkey.keys.rotation.publish-ahead.");
        }
        Duration longest = l.accessToken().compareTo(l.idToken()) > 0 ? l.accessToken() : l.idToken();
        if (rotation.retireAfter().compareTo(longest) < 0) {
            problems.add("latchkey.keys.rotation.retire-after must be at least the longest token lifetime (" + longest
                    + "), or tokens stop verifying before they expire.");
        }
    }

    static List<String> problems(DpopConfig dpop) {
        List<String> problems = new ArrayList<>();
        positive(problems, "latchkey.dpop.proof-lifetime", dpop.proofLifetime());
        positive(problems, "latchkey.dpop.nonce-slot", dpop.nonceSlot());
        positive(problems, "latchkey.dpop.nonce-secret-refresh", dpop.nonceSecretRefresh());
        if (dpop.clockSkew().isNegative()) {
            problems.add("latchkey.dpop.clock-skew must not be negative, was " + dpop.clockSkew());
        }
        return problems;
    }

    /** OIDC Discovery §3 and RFC 8414 §2: an https URL with no query or fragment. */
    static java.util.Optional<String> issuerProblem(String issuer) {
        return publicUrlProblem("latchkey.issuer", issuer, "e.g. https://id.example.com");
    }

    /** RFC 8414 §2: the registration endpoint is an https URL like the issuer (admin-service's /register). */
    static java.util.Optional<String> registrationEndpointProblem(String endpoint) {
        return publicUrlProblem("latchkey.registration.endpoint", endpoint, "e.g. https://admin.example.com/register");
    }

    private static java.util.Optional<String> publicUrlProblem(String name, String value, String example) {
        String expected = "expected an https URL without query or fragment (http only for localhost), " + example;
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return java.util.Optional.of(name + " '" + value + "' is not a URL: " + expected);
        }
        boolean https = "https".equals(uri.getScheme());
        boolean localHttp = "http".equals(uri.getScheme()) && uri.getHost() != null && LOOPBACK.contains(uri.getHost());
        if (!uri.isAbsolute() || uri.getHost() == null || !(https || localHttp)
                || uri.getRawQuery() != null || uri.getRawFragment() != null || value.endsWith("/")) {
            return java.util.Optional.of(name + " '" + value + "': " + expected + " (no trailing slash)");
        }
        return java.util.Optional.empty();
    }

    private static void positive(List<String> problems, String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            problems.add(name + " must be positive, was " + value);
        }
    }
}
