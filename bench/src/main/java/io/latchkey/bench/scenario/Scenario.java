package io.latchkey.bench.scenario;

import io.latchkey.bench.load.Measurement;

/** One workload the benchmark runs against every provider the same way. */
public interface Scenario {

    /** Short and stable: it names the row of the report. */
    String name();

    Measurement run(ScenarioContext context);
}
