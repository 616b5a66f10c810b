package dev.pacific.controlplane.quorum.raft;

/**
 * A state-machine image that replaces the log up to and including
 * {@code index} (Raft paper §7). The data is opaque to the core; it is sent to
 * lagging followers in chunks of at most {@link RaftConfig#maxSnapshotChunkBytes()}.
 */
public record Snapshot(long index, long term, byte[] data) {

    public static final Snapshot EMPTY = new Snapshot(0, 0, new byte[0]);

    public Snapshot {
        data = data == null ? new byte[0] : data;
    }

    public boolean isEmpty() {
        return index == 0;
    }

    @Override
    public String toString() {
        return "Snapshot[index=" + index + ", term=" + term + ", bytes=" + data.length + "]";
    }
}
