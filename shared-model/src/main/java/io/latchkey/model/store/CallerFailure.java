package io.latchkey.model.store;

/**
 * A failure the caller's own code raised inside a guarded call, such as a change refused half-way through a
 * transaction (a stale version, a missing resource): the request's answer, not an outage of the store, so
 * {@link CallGuard} passes it on as it is.
 */
public interface CallerFailure {
}
