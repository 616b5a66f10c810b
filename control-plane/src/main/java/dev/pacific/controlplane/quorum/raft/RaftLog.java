package dev.pacific.controlplane.quorum.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * A member's in-memory view of its log (Raft paper §5.3, §7): the last
 * snapshot, the entries after it, and three marks — {@code stable} (handed to
 * the driver in a Ready and acknowledged, so durable), {@code committed} and
 * {@code applied}. Entries above {@code stable} are unstable: a crash loses them.
 */
final class RaftLog {

    private Snapshot snapshot;
    private final ArrayList<Entry> entries = new ArrayList<>();
    private long stable;
    private long committed;
    private long applied;
    /** A snapshot received from a leader and not yet handed out in a Ready. */
    private Snapshot pendingSnapshot;

    RaftLog(PersistedState restored) {
        this.snapshot = restored.snapshot();
        this.entries.addAll(restored.entries());
        this.stable = lastIndex();
        this.committed = Math.min(Math.max(restored.hardState().commit(), snapshot.index()), lastIndex());
        this.applied = restored.applied();
    }

    Snapshot snapshot() {
        return snapshot;
    }

    long firstIndex() {
        return snapshot.index() + 1;
    }

    long lastIndex() {
        return snapshot.index() + entries.size();
    }

    long lastTerm() {
        return term(lastIndex());
    }

    long committed() {
        return committed;
    }

    long applied() {
        return applied;
    }

    /** The term of the entry at {@code index}, or -1 when it was compacted away or does not exist yet. */
    long term(long index) {
        if (index == snapshot.index()) {
            return snapshot.term();
        }
        if (index < snapshot.index() || index > lastIndex()) {
            return -1;
        }
        return entry(index).term();
    }

    boolean matchTerm(long index, long term) {
        return term(index) == term;
    }

    Entry entry(long index) {
        return entries.get((int) (index - firstIndex()));
    }

    /** §5.4.1: a candidate's log is at least as up to date as ours. */
    boolean isUpToDate(long lastIndex, long lastTerm) {
        return lastTerm > lastTerm() || (lastTerm == lastTerm() && lastIndex >= lastIndex());
    }

    /**
     * Entries from {@code from} on, at most {@code maxCount} and {@code maxBytes}
     * but at least one; null when {@code from} was compacted into the snapshot.
     */
    List<Entry> slice(long from, int maxCount, long maxBytes) {
        if (from < firstIndex()) {
            return null;
        }
        List<Entry> out = new ArrayList<>();
        long bytes = 0;
        for (long i = from; i <= lastIndex() && out.size() < maxCount; i++) {
            Entry e = entry(i);
            bytes += e.sizeInBytes();
            if (!out.isEmpty() && bytes > maxBytes) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    /** Leader side: append new entries at the end. */
    void append(Entry e) {
        if (e.index() != lastIndex() + 1) {
            throw new IllegalStateException("appending " + e + " after index " + lastIndex());
        }
        entries.add(e);
    }

    /**
     * Follower side of AppendEntries (§5.3): if our entry at {@code prevIndex}
     * has {@code prevTerm}, delete conflicting entries, append the new ones and
     * return the last index the leader's message vouches for; otherwise -1.
     */
    long maybeAppend(long prevIndex, long prevTerm, List<Entry> incoming) {
        if (!matchTerm(prevIndex, prevTerm)) {
            return -1;
        }
        for (Entry e : incoming) {
            if (e.index() <= snapshot.index() || matchTerm(e.index(), e.term())) {
                continue;
            }
            if (e.index() <= committed) {
                throw new IllegalStateException("entry " + e + " conflicts with committed index " + committed);
            }
            truncateFrom(e.index());
            entries.add(e);
        }
        return prevIndex + incoming.size();
    }

    private void truncateFrom(long index) {
        while (lastIndex() >= index) {
            entries.remove(entries.size() - 1);
        }
        stable = Math.min(stable, index - 1);
    }

    /**
     * Fast back-off (§5.3): the largest index at or below {@code index} whose
     * term is at most {@code term}; entries above it cannot match a log whose
     * entry at {@code index} has {@code term}.
     */
    long findConflictByTerm(long index, long term) {
        long i = Math.min(index, lastIndex());
        while (i > snapshot.index() && term(i) > term) {
            i--;
        }
        return i;
    }

    void commitTo(long index) {
        if (index > committed) {
            if (index > lastIndex()) {
                throw new IllegalStateException("commit " + index + " is beyond the last index " + lastIndex());
            }
            committed = index;
        }
    }

    boolean hasUnstableEntries() {
        return lastIndex() > Math.max(stable, snapshot.index());
    }

    List<Entry> unstableEntries() {
        int from = (int) Math.max(0, stable - snapshot.index());
        return List.copyOf(entries.subList(from, entries.size()));
    }

    List<Entry> committedNotApplied() {
        return List.copyOf(entries.subList((int) (applied - snapshot.index()), (int) (committed - snapshot.index())));
    }

    Snapshot pendingSnapshot() {
        return pendingSnapshot;
    }

    void stableTo(long index, long term) {
        if (index > stable && matchTerm(index, term)) {
            stable = index;
        }
    }

    void appliedTo(long index) {
        applied = Math.max(applied, index);
    }

    void snapshotPersisted(Snapshot s) {
        if (pendingSnapshot == s) {
            pendingSnapshot = null;
            stable = Math.max(stable, s.index());
        }
    }

    /**
     * Replace the log with a leader's snapshot (§7), unless it holds nothing
     * new. If our log already has the snapshot's last entry, keep what follows.
     */
    boolean restore(Snapshot s) {
        if (s.index() <= committed) {
            return false;
        }
        if (matchTerm(s.index(), s.term())) {
            commitTo(s.index());
            return false;
        }
        snapshot = s;
        entries.clear();
        pendingSnapshot = s;
        stable = s.index() - 1;
        committed = s.index();
        applied = s.index();
        return true;
    }

    /**
     * A marker's place taken by an image as of the applied index (at or after the marker): entries up to it leave
     * memory, as after a compaction; the driver's storage keeps its marker and entries, which still hold.
     */
    void attachImage(Snapshot image) {
        if (!image.hasImage() || image.index() < snapshot.index() || image.index() > applied
                || term(image.index()) != image.term()) {
            throw new IllegalArgumentException("an image must be of an applied index at or after the snapshot ("
                    + snapshot + ", applied " + applied + "), with its term: " + image);
        }
        entries.subList(0, (int) (image.index() - snapshot.index())).clear();
        snapshot = image;
        stable = Math.max(stable, image.index());
    }

    /**
     * Log compaction (§7): the driver took a snapshot of its state machine at
     * {@code index} (already applied); entries up to it are dropped. Null
     * {@code data} compacts to a {@link Snapshot#marker marker}.
     */
    void compact(long index, byte[] data) {
        if (index <= snapshot.index()) {
            return;
        }
        if (index > applied) {
            throw new IllegalArgumentException("cannot snapshot at " + index + ", only " + applied + " is applied");
        }
        Snapshot s = new Snapshot(index, term(index), data);
        entries.subList(0, (int) (index - snapshot.index())).clear();
        snapshot = s;
        stable = Math.max(stable, index);
    }
}
