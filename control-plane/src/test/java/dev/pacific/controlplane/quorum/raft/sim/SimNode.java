package dev.pacific.controlplane.quorum.raft.sim;

import dev.pacific.controlplane.quorum.raft.MemoryStorage;
import dev.pacific.controlplane.quorum.raft.PersistedState;
import dev.pacific.controlplane.quorum.raft.Raft;
import dev.pacific.controlplane.quorum.raft.RaftConfig;
import dev.pacific.controlplane.quorum.raft.ReadState;
import dev.pacific.controlplane.quorum.raft.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One simulated member: what it persisted (which survives a crash) and what it
 * holds in memory (the core, the key-value store, reads waiting to be served),
 * which a crash loses.
 */
final class SimNode {

    final String name;
    final RaftConfig config;
    final MemoryStorage storage = new MemoryStorage();
    private final long seed;
    private int incarnation;
    Raft raft;
    KvStateMachine kv;
    long applied;
    /** The state machine as a crash left it, when it survived the crash. */
    private KvStateMachine keptKv;
    private long keptApplied;
    final List<ReadState> readsWaiting = new ArrayList<>();
    /** When its pending Ready gets handled (a disk write takes time); -1 if none is due. */
    long readyAt = -1;
    long downUntil;
    /** A crash planned for this moment, or -1. */
    long crashAt = -1;
    int tickPhase;

    SimNode(String name, RaftConfig config, long seed) {
        this.name = name;
        this.config = config;
        this.seed = seed;
    }

    boolean up() {
        return raft != null;
    }

    /**
     * Starts, or restarts from storage. A state machine that survived the crash restarts where it
     * was, and the core is told what it already applied, as the LevelDB member restarts: its key-value
     * store keeps its own applied index. Otherwise the state machine is rebuilt from the snapshot and
     * the log replayed.
     */
    void start() {
        PersistedState saved = storage.restore();
        if (keptKv != null && keptApplied >= saved.snapshot().index()) {
            kv = keptKv;
            applied = keptApplied;
            saved = new PersistedState(saved.hardState(), saved.snapshot(), saved.entries(), applied);
        } else {
            kv = new KvStateMachine();
            kv.restore(storage.snapshot().data());
            applied = storage.snapshot().index();
        }
        keptKv = null;
        raft = new Raft(config, new Random(seed * 1_000_003L + incarnation++), saved);
        readsWaiting.clear();
        readyAt = -1;
    }

    /**
     * Loses everything not persisted: unsent messages, unstable entries and, unless
     * {@code stateMachineSurvives} (a killed process whose key-value writes reached the OS), the
     * state machine.
     */
    void crash(long until, boolean stateMachineSurvives) {
        keptKv = stateMachineSurvives ? kv : null;
        keptApplied = applied;
        raft = null;
        kv = null;
        readsWaiting.clear();
        readyAt = -1;
        crashAt = -1;
        downUntil = until;
    }

    /** Log compaction (§7) once the applied log since the last snapshot grows past {@code threshold}. */
    boolean compactIfLong(int threshold) {
        if (applied - raft.snapshotIndex() < threshold) {
            return false;
        }
        byte[] image = kv.snapshot();
        long term = raft.logTerm(applied);
        raft.compact(applied, image);
        storage.compact(new Snapshot(applied, term, image));
        return true;
    }
}
