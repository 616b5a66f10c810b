package dev.pacific.controlplane.quorum.raft.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.controlplane.quorum.check.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the Raft simulator over many seeds. {@code -Dpacific.sim.seeds=N}
 * changes how many (the {@code sim-long} profile runs 100,000),
 * {@code -Dpacific.sim.firstSeed=S} where they start, and
 * {@code -Dpacific.sim.seed=S} replays one seed with its last events printed.
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
        long start = System.nanoTime();
        List<SimResult> failures = new ArrayList<>();
        long operations = 0;
        long completed = 0;
        long unknown = 0;
        long crashes = 0;
        long partitions = 0;
        long snapshots = 0;
        long transfers = 0;
        long checkerNanos = 0;
        long slowestNanos = 0;
        long slowestSeed = first;
        int maxFailures = Integer.getInteger("pacific.sim.maxFailures", 3);
        long ran = 0;
        for (long seed = first; seed < first + count && failures.size() < maxFailures; seed++) {
            ran++;
            long seedStart = System.nanoTime();
            SimResult r = new Simulation(seed, single != null).run(CHECKER_BUDGET);
            long seedNanos = System.nanoTime() - seedStart;
            if (seedNanos > slowestNanos) {
                slowestNanos = seedNanos;
                slowestSeed = seed;
            }
            if (!r.ok()) {
                failures.add(r);
                System.out.println(describe(r));
                continue;
            }
            operations += r.operations();
            completed += r.completed();
            unknown += r.verdict() == Verdict.UNKNOWN ? 1 : 0;
            crashes += r.stats().crashes;
            partitions += r.stats().partitions;
            snapshots += r.stats().snapshots;
            transfers += r.stats().transfers;
            checkerNanos += r.stats().checkerNanos;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("Raft simulator: %d seeds from %d in %.1f s (%.1f s of it checking histories); %d client operations (%d answered), "
                        + "%d crashes, %d partitions, %d snapshot installs, %d transfers, %d histories UNKNOWN "
                        + "(checker budget), %d failures; slowest seed %d took %d ms%n",
                ran, first, seconds, checkerNanos / 1e9, operations, completed, crashes, partitions, snapshots, transfers, unknown,
                failures.size(), slowestSeed, slowestNanos / 1_000_000);
        assertTrue(failures.isEmpty(), () -> describe(failures.get(0)));
        assertTrue(completed * 2 > operations, "most client operations should be answered: " + completed
                + " of " + operations);
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
