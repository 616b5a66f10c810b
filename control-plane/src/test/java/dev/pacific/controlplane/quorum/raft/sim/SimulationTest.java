package dev.pacific.controlplane.quorum.raft.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Runs the Raft simulator over many seeds. {@code -Dpacific.sim.seeds=N}
 * changes how many (the {@code sim-long} profile runs 100,000),
 * {@code -Dpacific.sim.firstSeed=S} where they start, and
 * {@code -Dpacific.sim.seed=S} replays one seed with its last events printed,
 * and {@code -Dpacific.sim.maxFailures=N} how many failing seeds to collect
 * before stopping (3).
 */
class SimulationTest {

    static final String REPLAY = "mvn -q -pl control-plane -am test -Dtest=SimulationTest#manySeedsKeepRaftSafeAndLinearizable"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dpacific.sim.seed=";
    private static final Duration CHECKER_BUDGET = Duration.ofSeconds(5);

    @Test
    void manySeedsKeepRaftSafeAndLinearizable() {
        String single = System.getProperty("pacific.sim.seed");
        long first = single != null ? Long.parseLong(single) : Long.getLong("pacific.sim.firstSeed", 0);
        long count = single != null ? 1 : Long.getLong("pacific.sim.seeds", 3000);
        System.out.printf("Raft simulator: running %d seeds from %d%n", count, first);
        int maxFailures = Integer.getInteger("pacific.sim.maxFailures", 3);
        long start = System.nanoTime();
        SimTotals totals = new SimTotals();
        for (long seed = first; seed < first + count && totals.failures.size() < maxFailures; seed++) {
            long seedStart = System.nanoTime();
            SimResult r = new Simulation(seed, single != null).run(CHECKER_BUDGET);
            totals.add(r, System.nanoTime() - seedStart);
            if (!r.ok()) {
                System.out.println(describe(r));
            }
        }
        System.out.println(totals.summary(first, System.nanoTime() - start));
        assertTrue(totals.failures.isEmpty(), () -> describe(totals.failures.get(0)));
        assertTrue(totals.completed * 2 > totals.operations, "most client operations should be answered: "
                + totals.completed + " of " + totals.operations);
    }

    static String describe(SimResult r) {
        return "SIMULATION FAILED: seed " + r.seed() + " (" + r.members() + " members) broke " + r.property()
                + "\n" + r.detail() + "\nreplay this seed with: " + REPLAY + r.seed();
    }

    @Test
    void aSeedReplaysExactly() {
        for (long seed : new long[] {7, 8}) {
            SimResult once = new Simulation(seed, false).run(CHECKER_BUDGET);
            SimResult again = new Simulation(seed, true).run(CHECKER_BUDGET);
            assertEquals(once.traceHash(), again.traceHash(), "seed " + seed + " must replay event for event");
            assertEquals(once.property(), again.property());
            assertEquals(once.operations(), again.operations());
            assertTrue(once.operations() > 10, "seed " + seed + " ran only " + once.operations() + " operations");
        }
    }
}
