package dev.pacific.controlplane.quorum.raft;

import java.util.List;

/**
 * Everything members say to each other. Plain records of numbers, names and
 * bytes, so a transport can encode them compactly. Every message carries the
 * sender's term: a higher term makes the receiver a follower of that term,
 * a lower one marks the message stale (Raft paper §5.1).
 */
public sealed interface Message {

    String from();

    String to();

    long term();

    /**
     * RequestVote (§5.2). With {@code preVote} the sender asks whether it could
     * win at {@code term} without disrupting anyone (dissertation §9.6); with
     * {@code transfer} it was told to campaign by the leader (§3.10) and
     * receivers must not ignore it on account of a live leader.
     */
    record RequestVote(String from, String to, long term, long lastIndex, long lastTerm,
                       boolean preVote, boolean transfer) implements Message {
    }

    record VoteResponse(String from, String to, long term, boolean preVote, boolean granted)
            implements Message {
    }

    /** AppendEntries (§5.3), carrying at most a configured count and size of entries. */
    record AppendEntries(String from, String to, long term, long prevIndex, long prevTerm,
                         List<Entry> entries, long commit) implements Message {

        public AppendEntries {
            entries = List.copyOf(entries);
        }
    }

    /**
     * The reply to AppendEntries or to a completed snapshot. On success
     * {@code index} is the last index known to match the leader. On rejection
     * {@code index} is the rejected {@code prevIndex} and ({@code hintIndex},
     * {@code hintTerm}) is where the follower's log may match, so the leader
     * skips a whole conflicting term per round trip (§5.3, last paragraphs).
     */
    record AppendResponse(String from, String to, long term, long index, boolean reject,
                          long hintIndex, long hintTerm) implements Message {
    }

    /**
     * The leader's heartbeat (§5.2). {@code commit} never exceeds what the
     * follower is known to hold. {@code readSeq} names the newest ReadIndex
     * request waiting for leadership to be confirmed (dissertation §6.4), 0 if none.
     */
    record Heartbeat(String from, String to, long term, long commit, long readSeq) implements Message {
    }

    record HeartbeatResponse(String from, String to, long term, long readSeq) implements Message {
    }

    /**
     * InstallSnapshot (§7), one chunk at a time: bytes
     * {@code [offset, offset + chunk.length)} of a snapshot of {@code totalBytes}.
     */
    record InstallSnapshot(String from, String to, long term, long snapshotIndex, long snapshotTerm,
                           long totalBytes, long offset, byte[] chunk) implements Message {

        public boolean isLastChunk() {
            return offset + chunk.length >= totalBytes;
        }
    }

    /** Acknowledges a snapshot chunk: the follower holds the first {@code nextOffset} bytes. */
    record SnapshotAck(String from, String to, long term, long snapshotIndex, long nextOffset)
            implements Message {
    }

    /** Tells an up-to-date follower to campaign at once (dissertation §3.10). */
    record TimeoutNow(String from, String to, long term) implements Message {
    }
}
