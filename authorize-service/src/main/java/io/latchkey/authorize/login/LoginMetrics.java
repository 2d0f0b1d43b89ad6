package io.latchkey.authorize.login;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Login outcomes at /q/metrics: {@code latchkey_logins_total{outcome="success"|"failure"|"throttled"}}.
 * Never tagged with the username or the address: a failure counter per account would be a list of
 * targeted accounts, and the throttle store already keeps what per-account decisions need.
 */
@ApplicationScoped
public class LoginMetrics {

    private final Counter success;
    private final Counter failure;
    private final Counter throttled;

    public LoginMetrics(MeterRegistry registry) {
        this.success = counter(registry, "success");
        this.failure = counter(registry, "failure");
        this.throttled = counter(registry, "throttled");
    }

    void record(LoginService.Result result) {
        if (result instanceof LoginService.Result.Success) {
            success.increment();
        } else if (result instanceof LoginService.Result.Throttled) {
            throttled.increment();
        } else {
            failure.increment();
        }
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("latchkey.logins").description("Login attempts by outcome").tag("outcome", outcome)
                .register(registry);
    }
}
