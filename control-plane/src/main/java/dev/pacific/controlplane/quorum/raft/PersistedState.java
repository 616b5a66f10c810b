package dev.pacific.controlplane.quorum.raft;

import java.util.List;

/**
 * What a driver read back from its storage on restart: the last hard state,
 * the last snapshot and the entries after it. The core treats all of it as
 * already durable. {@code applied} is the index the state machine reflects
 * after the driver restored it (at least the snapshot's index).
 */
public record PersistedState(HardState hardState, Snapshot snapshot, List<Entry> entries, long applied) {

    public static final PersistedState EMPTY = new PersistedState(HardState.EMPTY, Snapshot.EMPTY, List.of(), 0);

    public PersistedState {
        entries = List.copyOf(entries);
        if (applied < snapshot.index() || applied > Math.max(hardState.commit(), snapshot.index())) {
            throw new IllegalArgumentException("applied index " + applied
                    + " must lie between the snapshot index " + snapshot.index()
                    + " and the commit index " + hardState.commit());
        }
        long expected = snapshot.index() + 1;
        for (Entry e : entries) {
            if (e.index() != expected++) {
                throw new IllegalArgumentException("entries must follow the snapshot without gaps, found " + e);
            }
        }
    }

    /** Restart with a fresh state machine: replay everything committed after the snapshot. */
    public static PersistedState of(HardState hardState, Snapshot snapshot, List<Entry> entries) {
        return new PersistedState(hardState, snapshot, entries, snapshot.index());
    }
}
