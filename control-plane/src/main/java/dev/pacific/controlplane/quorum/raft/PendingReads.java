package dev.pacific.controlplane.quorum.raft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A leader's ReadIndex requests waiting for a majority to confirm it still
 * leads (dissertation §6.4). Each gets a sequence number that rides on the
 * next heartbeats; a reply echoing sequence {@code s} confirms every request
 * up to {@code s}, since they were all registered before that heartbeat left.
 */
final class PendingReads {

    private record Pending(long seq, long context, long index, Set<String> acks) {
    }

    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final String self;
    private final int quorum;
    private long lastSeq;

    PendingReads(String self, int quorum) {
        this.self = self;
        this.quorum = quorum;
    }

    /** Registers a read at the current commit index; returns its sequence number. */
    long add(long context, long commitIndex) {
        Set<String> acks = new HashSet<>();
        acks.add(self);
        queue.addLast(new Pending(++lastSeq, context, commitIndex, acks));
        return lastSeq;
    }

    /** The newest unconfirmed sequence number, or 0 if nothing waits. */
    long latestSeq() {
        return queue.isEmpty() ? 0 : queue.peekLast().seq();
    }

    /** A follower answered a heartbeat carrying {@code seq}; returns the reads now confirmed. */
    List<ReadState> ack(String from, long seq) {
        List<ReadState> confirmed = new ArrayList<>();
        if (seq == 0) {
            return confirmed;
        }
        for (Pending p : queue) {
            if (p.seq() <= seq) {
                p.acks().add(from);
            }
        }
        while (!queue.isEmpty() && queue.peekFirst().acks().size() >= quorum) {
            Pending p = queue.removeFirst();
            confirmed.add(new ReadState(p.context(), p.index()));
        }
        return confirmed;
    }
}
