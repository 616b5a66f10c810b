package dev.pacific.controlplane.quorum.raft.sim;

import dev.pacific.controlplane.quorum.raft.Entry;
import dev.pacific.controlplane.quorum.raft.Raft;
import dev.pacific.controlplane.quorum.raft.Role;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The safety properties of Raft paper Fig. 3, checked as the simulation runs.
 * Each is checked where it can first break, so every step is covered without
 * comparing whole logs each time.
 */
final class Invariants {

    private record Slot(long index, long term) {
    }

    private record Seen(Entry entry, long prevTerm) {
    }

    private final Map<Long, String> leaderOfTerm = new HashMap<>();
    private final Set<String> leadershipsChecked = new HashSet<>();
    private final Map<Slot, Seen> entries = new HashMap<>();
    /** The committed log as applied anywhere: index i at position i - 1. */
    private final List<Entry> committed = new ArrayList<>();

    /** Election Safety: at most one leader can be elected in a given term (§5.2). */
    void checkElectionSafety(Raft raft) {
        if (raft.role() != Role.LEADER) {
            return;
        }
        String other = leaderOfTerm.putIfAbsent(raft.term(), raft.id());
        if (other != null && !other.equals(raft.id())) {
            throw new SafetyViolation("election safety",
                    "both " + other + " and " + raft.id() + " became leader of term " + raft.term());
        }
        if (leadershipsChecked.add(raft.id() + "@" + raft.term())) {
            checkLeaderCompleteness(raft);
        }
    }

    /**
     * Leader Completeness: a leader elected in term T holds every entry
     * committed before T (§5.4). Checked once, when it is first seen leading.
     */
    private void checkLeaderCompleteness(Raft leader) {
        for (Entry e : committed) {
            if (e != null && e.index() > leader.snapshotIndex() && leader.logTerm(e.index()) != e.term()) {
                throw new SafetyViolation("leader completeness", leader.id() + " leads term " + leader.term()
                        + " but its entry at index " + e.index() + " has term " + leader.logTerm(e.index())
                        + " where term " + e.term() + " was committed");
            }
        }
    }

    /**
     * Log Matching: two entries with the same index and term hold the same
     * command and follow entries of the same term (§5.3); by induction their
     * logs are identical up to there. Checked on every entry a member persists.
     */
    void checkLogMatching(Raft raft, List<Entry> persisted) {
        for (Entry e : persisted) {
            long prevTerm = raft.logTerm(e.index() - 1);
            Seen now = new Seen(e, prevTerm);
            Seen before = entries.putIfAbsent(new Slot(e.index(), e.term()), now);
            if (before == null) {
                continue;
            }
            boolean prevDiffers = before.prevTerm() >= 0 && prevTerm >= 0 && before.prevTerm() != prevTerm;
            if (!before.entry().equals(e) || prevDiffers) {
                throw new SafetyViolation("log matching", raft.id() + " persisted " + e + " after term " + prevTerm
                        + " but another member has " + before.entry() + " after term " + before.prevTerm());
            }
        }
    }

    /**
     * State Machine Safety: no two members apply different entries at the
     * same index (§5.4.3).
     */
    void checkApplied(String member, Entry e) {
        int position = (int) e.index() - 1;
        if (position < committed.size()) {
            Entry first = committed.get(position);
            if (first != null && !first.equals(e)) {
                throw new SafetyViolation("state-machine safety", member + " applied " + e
                        + " where another member applied " + first);
            }
            if (first == null) {
                committed.set(position, e);
            }
            return;
        }
        while (committed.size() < position) {
            committed.add(null);
        }
        committed.add(e);
    }

    int committedCount() {
        return committed.size();
    }

    int leaders() {
        return leaderOfTerm.size();
    }
}
