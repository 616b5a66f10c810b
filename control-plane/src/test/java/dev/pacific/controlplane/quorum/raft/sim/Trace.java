package dev.pacific.controlplane.quorum.raft.sim;

import dev.pacific.controlplane.quorum.raft.Entry;
import dev.pacific.controlplane.quorum.raft.Message;
import dev.pacific.controlplane.quorum.raft.Message.AppendEntries;
import dev.pacific.controlplane.quorum.raft.Message.AppendResponse;
import dev.pacific.controlplane.quorum.raft.Message.Heartbeat;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * A fingerprint of everything that happened in a run (deliveries, applied
 * entries, faults), so two runs of a seed can be compared; in verbose mode it
 * also keeps the last events as text for the failure report.
 */
final class Trace {

    private static final int KEEP = Integer.getInteger("pacific.sim.keep", 60);
    private final boolean verbose;
    private final ArrayDeque<String> recent = new ArrayDeque<>();
    private long hash = 0xcbf29ce484222325L;

    Trace(boolean verbose) {
        this.verbose = verbose;
    }

    private void mix(long v) {
        hash ^= v;
        hash *= 0x100000001b3L;
        hash ^= hash >>> 31;
    }

    void delivered(Message m, long now) {
        mix(now);
        mix(m.getClass().getSimpleName().hashCode());
        mix(m.from().hashCode());
        mix(m.to().hashCode());
        mix(m.term());
        if (m instanceof AppendEntries a) {
            mix(a.prevIndex());
            mix(a.entries().size());
            mix(a.commit());
        } else if (m instanceof AppendResponse r) {
            mix(r.index());
            mix(r.reject() ? 1 : 0);
        } else if (m instanceof Heartbeat h) {
            mix(h.commit());
        }
        if (verbose) {
            keep(now + " deliver " + describe(m));
        }
    }

    private static String describe(Message m) {
        if (m instanceof AppendEntries a) {
            return "AppendEntries[" + a.from() + "->" + a.to() + " term=" + a.term() + " prev=" + a.prevIndex()
                    + "/" + a.prevTerm() + " entries=" + a.entries().size() + " commit=" + a.commit() + "]";
        }
        return m.toString().replaceAll("chunk=\\[B@\\w+", "chunk");
    }

    void applied(String member, Entry e) {
        mix(member.hashCode());
        mix(e.index());
        mix(e.term());
        mix(Arrays.hashCode(e.data()));
        if (verbose) {
            keep(member + " applies " + e);
        }
    }

    void note(String event) {
        mix(event.hashCode());
        if (verbose) {
            keep(event);
        }
    }

    private void keep(String line) {
        recent.addLast(line);
        if (recent.size() > KEEP) {
            recent.removeFirst();
        }
    }

    long hash() {
        return hash;
    }

    String recent() {
        return verbose ? "\nlast events:\n  " + String.join("\n  ", recent) : "";
    }
}
