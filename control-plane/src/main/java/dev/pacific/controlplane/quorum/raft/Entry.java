package dev.pacific.controlplane.quorum.raft;

import java.util.Arrays;

/**
 * One slot of the replicated log (Raft paper §5.3): the term in which a leader
 * created it, its position, and opaque command bytes. A leader's first entry
 * in a new term has empty data (§8: it commits the entries of earlier terms
 * and lets ReadIndex know the leader's commit index is current).
 *
 * <p>Equality compares the bytes, so two logs can be compared entry by entry.
 */
public record Entry(long term, long index, byte[] data) {

    public Entry {
        if (term < 1 || index < 1) {
            throw new IllegalArgumentException("term and index start at 1, got term=" + term + " index=" + index);
        }
        data = data == null ? new byte[0] : data;
    }

    /** The size counted against {@link RaftConfig#maxBytesPerMessage()}: data plus a fixed header. */
    public long sizeInBytes() {
        return data.length + 16L;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Entry e && e.term == term && e.index == index && Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(term) * 31 * 31 + Long.hashCode(index) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Entry[term=" + term + ", index=" + index + ", bytes=" + data.length + "]";
    }
}
