package dev.pacific.controlplane.quorum.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * What a driver keeps on disk for one member, in memory: the durable part of
 * the Ready contract. A crash keeps exactly this; a restart reads it back.
 */
public final class MemoryStorage {

    private HardState hardState = HardState.EMPTY;
    private Snapshot snapshot = Snapshot.EMPTY;
    private final List<Entry> entries = new ArrayList<>();

    public MemoryStorage() {
    }

    /** Storage that already holds {@code state}, for members that start mid-history. */
    public MemoryStorage(PersistedState state) {
        hardState = state.hardState();
        snapshot = state.snapshot();
        entries.addAll(state.entries());
    }

    /** Step 1 of {@link Ready}: the snapshot, the entries (replacing any from their first index) and the hard state. */
    public void persist(Ready rd) {
        if (rd.snapshot() != null) {
            snapshot = rd.snapshot();
            entries.clear();
        }
        if (!rd.entries().isEmpty()) {
            long first = rd.entries().get(0).index();
            entries.removeIf(e -> e.index() >= first);
            entries.addAll(rd.entries());
        }
        if (rd.hardState() != null) {
            hardState = rd.hardState();
        }
    }

    /** The driver's own snapshot for log compaction (§7), taken at an applied index. */
    public void compact(Snapshot s) {
        if (s.index() > snapshot.index()) {
            snapshot = s;
            entries.removeIf(e -> e.index() <= s.index());
        }
    }

    public PersistedState restore() {
        return PersistedState.of(hardState, snapshot, entries);
    }

    public HardState hardState() {
        return hardState;
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }
}
