package dev.pacific.controlplane.quorum.raft;

/**
 * A state-machine image that replaces the log up to and including
 * {@code index} (Raft paper §7). The data is opaque to the core; it is sent to
 * lagging followers in chunks of at most {@link RaftConfig#maxSnapshotChunkBytes()}.
 *
 * <p>A {@linkplain #marker marker} has no data: the log was compacted because a
 * durable state machine holds everything up to {@code index} itself, and an image
 * is made only when a follower needs one ({@link Raft.ImageSource}), as etcd's
 * backend is sent rather than kept as a copy.
 */
public record Snapshot(long index, long term, byte[] data) {

    public static final Snapshot EMPTY = new Snapshot(0, 0, new byte[0]);

    public Snapshot {
        data = data == null && index == 0 ? new byte[0] : data;
    }

    /** The log compacted up to {@code index}; the state machine, durable, holds the state (null data). */
    public static Snapshot marker(long index, long term) {
        if (index <= 0) {
            throw new IllegalArgumentException("a marker stands for a compaction at an index above 0, not " + index);
        }
        return new Snapshot(index, term, null);
    }

    public boolean isEmpty() {
        return index == 0;
    }

    /** Whether this carries the state machine's image; a {@link #marker} does not. */
    public boolean hasImage() {
        return data != null;
    }

    @Override
    public String toString() {
        return "Snapshot[index=" + index + ", term=" + term + (data == null ? ", marker]" : ", bytes=" + data.length + "]");
    }
}
