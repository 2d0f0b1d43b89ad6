package io.latchkey.model.dpop;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** DPoP proofs (RFC 9449), {@code latchkey.dpop.*}; checked at start-up by LatchkeySettingsCheck. */
@ConfigMapping(prefix = "latchkey.dpop")
public interface DpopConfig {

    /**
     * Whether a proof at the token endpoint must carry a nonce of this server (RFC 9449 §8): without one, or with a
     * stale one, the answer is {@code use_dpop_nonce} with a fresh nonce in {@code DPoP-Nonce}. A nonce limits how far
     * ahead a proof can be made (§11.2) to the nonce's life.
     */
    @WithDefault("true")
    boolean nonceRequired();

    /** How old a proof's {@code iat} may be (RFC 9449 §11.1); its {@code jti} is remembered this long plus the skew. */
    @WithDefault("60s")
    Duration proofLifetime();

    /** How far ahead of the server's clock a proof's {@code iat} may be (RFC 9449 §11.1, clock offsets). */
    @WithDefault("5s")
    Duration clockSkew();

    /** A nonce belongs to a time slot this long; it is accepted in its own slot and the next. */
    @WithDefault("5m")
    Duration nonceSlot();

    /** How often the nonce secret is read from Redis again, so replicas agree after it changed (a flushed Redis). */
    @WithDefault("1m")
    Duration nonceSecretRefresh();
}
