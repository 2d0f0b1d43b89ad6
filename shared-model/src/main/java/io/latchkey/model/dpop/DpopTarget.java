package io.latchkey.model.dpop;

import java.util.Objects;

/**
 * The request a proof must be made for: its method ({@code htm}) and the endpoint's public URL ({@code htu}), kept
 * normalised (RFC 9449 §4.3). The URL is the one clients are told about (discovery), not the Host the request reached
 * this replica with, which a proxy may have changed.
 */
public record DpopTarget(String method, String uri) {

    public DpopTarget {
        Objects.requireNonNull(method, "method");
        String url = uri;
        uri = HttpUris.normalize(url).orElseThrow(() -> new IllegalArgumentException("not an http(s) URL: " + url));
    }

    public static DpopTarget of(String method, String url) {
        return new DpopTarget(method, url);
    }
}
