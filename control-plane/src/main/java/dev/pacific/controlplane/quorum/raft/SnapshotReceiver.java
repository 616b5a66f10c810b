package dev.pacific.controlplane.quorum.raft;

import dev.pacific.controlplane.quorum.raft.Message.InstallSnapshot;
import java.util.Arrays;

/**
 * Follower side of a chunked InstallSnapshot (Raft paper §7, Fig. 13): chunks
 * are taken only in order, so a lost, duplicated or reordered chunk just makes
 * the follower report how far it got and the leader resend from there.
 */
final class SnapshotReceiver {

    private long index = -1;
    private long term = -1;
    private byte[] buffer = new byte[0];
    private int received;

    long received() {
        return received;
    }

    /** Takes one chunk; returns the snapshot once its last chunk arrived, else null. */
    Snapshot accept(InstallSnapshot chunk) {
        boolean sameSnapshot = chunk.snapshotIndex() == index && chunk.snapshotTerm() == term;
        if (chunk.offset() == 0 && !sameSnapshot) {
            index = chunk.snapshotIndex();
            term = chunk.snapshotTerm();
            buffer = new byte[(int) chunk.totalBytes()];
            received = 0;
            sameSnapshot = true;
        }
        if (!sameSnapshot) {
            received = 0;
            index = -1;
            return null;
        }
        if (chunk.offset() != received) {
            return null;
        }
        System.arraycopy(chunk.chunk(), 0, buffer, received, chunk.chunk().length);
        received += chunk.chunk().length;
        if (received < buffer.length) {
            return null;
        }
        Snapshot done = new Snapshot(index, term, Arrays.copyOf(buffer, buffer.length));
        index = -1;
        term = -1;
        buffer = new byte[0];
        received = 0;
        return done;
    }
}
