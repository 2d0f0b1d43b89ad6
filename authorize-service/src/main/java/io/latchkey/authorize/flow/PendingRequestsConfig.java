package io.latchkey.authorize.flow;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Bounds on the pending-request store ({@link PendingRequests}). */
@ConfigMapping(prefix = "latchkey.pending-requests")
public interface PendingRequestsConfig {

    /**
     * Authorization requests that one client address may start within the request lifetime (silent renewals,
     * which store nothing, do not count). Generous, since an office behind NAT is one address.
     */
    @WithDefault("1000")
    int perAddress();
}
