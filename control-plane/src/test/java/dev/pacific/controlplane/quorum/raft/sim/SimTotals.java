package dev.pacific.controlplane.quorum.raft.sim;

import dev.pacific.controlplane.quorum.check.Verdict;
import java.util.ArrayList;
import java.util.List;

/** What a batch of seeds did, for the one-line summary a simulator run prints. */
final class SimTotals {

    final List<SimResult> failures = new ArrayList<>();
    long seeds;
    long operations;
    long completed;
    long unknown;
    long crashes;
    long crashesBeforePersist;
    long partitions;
    long snapshots;
    long transfers;
    long checkerNanos;
    long watchEvents;
    long watchResumes;
    long watchCompacted;
    long slowestSeed = -1;
    long slowestNanos;

    void add(SimResult r, long nanos) {
        seeds++;
        if (nanos > slowestNanos) {
            slowestNanos = nanos;
            slowestSeed = r.seed();
        }
        if (!r.ok()) {
            failures.add(r);
            return;
        }
        operations += r.operations();
        completed += r.completed();
        unknown += r.verdict() == Verdict.UNKNOWN ? 1 : 0;
        crashes += r.stats().crashes;
        crashesBeforePersist += r.stats().crashesBeforePersist;
        partitions += r.stats().partitions;
        snapshots += r.stats().snapshots;
        transfers += r.stats().transfers;
        checkerNanos += r.stats().checkerNanos;
        watchEvents += r.stats().watchEvents;
        watchResumes += r.stats().watchResumes;
        watchCompacted += r.stats().watchCompacted;
    }

    String summary(long firstSeed, long elapsedNanos) {
        return String.format("Raft simulator: %d seeds from %d in %.1f s (%.1f s of it checking histories); "
                        + "%d client operations (%d answered), %d crashes (%d of a leader between its early sends and its persist), %d partitions, %d snapshot installs, "
                        + "%d transfers, %d histories UNKNOWN (checker budget), %d failures; "
                        + "watchers saw %d changes exactly once in order, resumed on another member %d times "
                        + "(%d times past a snapshot: re-listed); slowest seed %d took %d ms",
                seeds, firstSeed, elapsedNanos / 1e9, checkerNanos / 1e9, operations, completed, crashes, crashesBeforePersist, partitions,
                snapshots, transfers, unknown, failures.size(), watchEvents, watchResumes, watchCompacted,
                slowestSeed, slowestNanos / 1_000_000);
    }
}
