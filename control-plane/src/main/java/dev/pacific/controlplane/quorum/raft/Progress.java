package dev.pacific.controlplane.quorum.raft;

import java.util.ArrayDeque;

/**
 * What a leader knows about one follower's log (Raft paper Fig. 2, nextIndex
 * and matchIndex), and how it is sending to it:
 * <ul>
 *   <li>PROBE — the match point is unknown: one AppendEntries per heartbeat
 *       until one succeeds;</li>
 *   <li>REPLICATE — the logs match up to {@code match}: stream entries
 *       optimistically, up to {@code maxInflight} messages ahead of the replies;</li>
 *   <li>SNAPSHOT — the follower needs entries the leader compacted: send the
 *       snapshot chunk by chunk.</li>
 * </ul>
 */
final class Progress {

    enum State { PROBE, REPLICATE, SNAPSHOT }

    private final int maxInflight;
    private final ArrayDeque<Long> inflight = new ArrayDeque<>();
    State state = State.PROBE;
    long match;
    long next;
    /** In PROBE: an AppendEntries is out and unanswered, so wait for a heartbeat reply. */
    boolean probeSent;
    /** Heard from since the last check-quorum round (dissertation §6.2). */
    boolean recentActive;
    long snapshotIndex;
    long snapshotOffset;
    /**
     * In SNAPSHOT: ticks since the last chunk went out. A chunk is sent again only after an
     * election timeout of silence: resending on every heartbeat reply started a new chunk-ack
     * chain each time, so a busy follower received the whole snapshot many times over.
     */
    int snapshotQuietTicks;

    Progress(long next, int maxInflight) {
        this.next = next;
        this.maxInflight = maxInflight;
    }

    boolean isPaused() {
        return switch (state) {
            case PROBE -> probeSent;
            case REPLICATE -> inflight.size() >= maxInflight;
            case SNAPSHOT -> true;
        };
    }

    /** A successful reply up to {@code index}; false if it tells nothing new. */
    boolean maybeUpdate(long index) {
        boolean updated = index > match;
        if (updated) {
            match = index;
            probeSent = false;
        }
        next = Math.max(next, index + 1);
        while (!inflight.isEmpty() && inflight.peekFirst() <= index) {
            inflight.removeFirst();
        }
        return updated;
    }

    /** An AppendEntries up to {@code lastIndex} went out. */
    void sent(long lastIndex, boolean hadEntries) {
        if (state == State.REPLICATE) {
            if (hadEntries) {
                next = lastIndex + 1;
                inflight.addLast(lastIndex);
            }
        } else if (state == State.PROBE) {
            probeSent = true;
        }
    }

    /**
     * A rejection of the AppendEntries whose prevIndex was {@code rejected}.
     * Returns false when the rejection is stale (it answers an older message).
     */
    boolean maybeDecreaseTo(long rejected, long hint) {
        if (state == State.REPLICATE) {
            if (rejected <= match) {
                return false;
            }
            next = match + 1;
            return true;
        }
        if (next - 1 != rejected) {
            return false;
        }
        next = Math.max(Math.min(rejected, hint + 1), match + 1);
        probeSent = false;
        return true;
    }

    /**
     * A heartbeat reply while the window is full: some batch or its reply was
     * probably lost, so let one more batch out; if it leaves a gap the
     * follower rejects it and we fall back to probing.
     */
    void freeOneIfFull() {
        if (state == State.REPLICATE && inflight.size() >= maxInflight) {
            inflight.removeFirst();
        }
    }

    /** For status pages: the state, where the next entry is, and how far a snapshot got. */
    String describe() {
        return switch (state) {
            case PROBE -> "probe, next " + next;
            case REPLICATE -> "replicate, next " + next + ", " + inflight.size() + " in flight";
            case SNAPSHOT -> "snapshot " + snapshotIndex + ", " + snapshotOffset + " bytes acknowledged";
        };
    }

    void becomeProbe() {
        state = State.PROBE;
        next = match + 1;
        probeSent = false;
        inflight.clear();
    }

    void becomeReplicate() {
        state = State.REPLICATE;
        next = match + 1;
        inflight.clear();
    }

    void becomeSnapshot(long index) {
        state = State.SNAPSHOT;
        snapshotIndex = index;
        snapshotOffset = 0;
        snapshotQuietTicks = 0;
        inflight.clear();
    }
}
