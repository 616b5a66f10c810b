package dev.pacific.controlplane.quorum.raft.sim;

import dev.pacific.controlplane.quorum.check.Operation;
import dev.pacific.controlplane.quorum.check.Verdict;
import java.util.List;

/** The outcome of one seed. {@code property} names what failed, or is null. */
record SimResult(long seed, int members, String property, String detail, Verdict verdict, int operations,
                 int completed, long traceHash, Simulation.Stats stats) {

    static SimResult failed(long seed, int members, String property, String detail, long hash, Simulation.Stats s) {
        return new SimResult(seed, members, property, detail, null, 0, 0, hash, s);
    }

    static SimResult passed(long seed, int members, Verdict verdict, List<Operation> ops, long hash,
                            Simulation.Stats s) {
        int completed = (int) ops.stream().filter(op -> !op.indeterminate()).count();
        return new SimResult(seed, members, null, null, verdict, ops.size(), completed, hash, s);
    }

    boolean ok() {
        return property == null;
    }
}
