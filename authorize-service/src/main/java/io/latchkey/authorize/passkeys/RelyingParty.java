package io.latchkey.authorize.passkeys;

import io.latchkey.model.config.LatchkeyConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who the passkeys are for (WebAuthn §5.1.2, "RP ID"): the host of {@code latchkey.issuer}, so a passkey made here
 * works for every service under that name; and the origin the browser must report (§7.1 step 9, §7.2 step 13), the
 * issuer's scheme, host and port. Checked at start-up: browsers refuse an IP address as RP ID (§5.1.2 "valid
 * domain string"), so passkeys would never work, and it is better to say so than to fail each ceremony.
 */
@Startup
@ApplicationScoped
public class RelyingParty {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final String id;
    private final String origin;

    public RelyingParty(LatchkeyConfig latchkey, PasskeyConfig passkeys) {
        URI issuer = URI.create(latchkey.issuer());
        if (passkeys.enabled()) {
            problem(issuer).ifPresent(message -> {
                throw new IllegalStateException(message);
            });
        }
        this.id = issuer.getHost().toLowerCase(Locale.ROOT);
        this.origin = origin(issuer);
    }

    /** Why passkeys cannot work with this issuer, if they cannot. */
    static Optional<String> problem(URI issuer) {
        String host = issuer.getHost();
        if (host == null) {
            return Optional.of("latchkey.issuer has no host, so passkeys have no RP ID.");
        }
        if (host.startsWith("[") || IPV4.matcher(host).matches()) {
            return Optional.of("latchkey.issuer's host " + host + " is an IP address, which WebAuthn refuses as RP ID (WebAuthn §5.1.2):"
                    + " use a domain name (e.g. localhost or id.example.com), or set latchkey.passkeys.enabled=false.");
        }
        return Optional.empty();
    }

    /** scheme://host[:port], the port only when it is not the scheme's default (HTML's ASCII serialisation of an origin). */
    static String origin(URI issuer) {
        String scheme = issuer.getScheme().toLowerCase(Locale.ROOT);
        int port = issuer.getPort();
        boolean defaultPort = port == -1 || ("https".equals(scheme) && port == 443) || ("http".equals(scheme) && port == 80);
        return scheme + "://" + issuer.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    /** The RP ID: the issuer's host. */
    public String id() {
        return id;
    }

    /** The only origin a ceremony may come from. */
    public String origin() {
        return origin;
    }
}
