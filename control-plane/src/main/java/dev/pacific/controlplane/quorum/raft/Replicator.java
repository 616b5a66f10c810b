package dev.pacific.controlplane.quorum.raft;

import dev.pacific.controlplane.quorum.raft.Message.AppendEntries;
import dev.pacific.controlplane.quorum.raft.Message.AppendResponse;
import dev.pacific.controlplane.quorum.raft.Message.Heartbeat;
import dev.pacific.controlplane.quorum.raft.Message.HeartbeatResponse;
import dev.pacific.controlplane.quorum.raft.Message.InstallSnapshot;
import dev.pacific.controlplane.quorum.raft.Message.SnapshotAck;
import dev.pacific.controlplane.quorum.raft.Message.TimeoutNow;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The leader's side of one term: log replication (Raft paper §5.3), the
 * commit rule (§5.4.2), heartbeats, check-quorum (dissertation §6.2),
 * ReadIndex confirmation (§6.4), snapshots for followers that fell behind
 * the compacted log (§7) and leadership transfer (§3.10).
 */
final class Replicator {

    private final Raft raft;
    private final RaftLog log;
    private final RaftConfig config;
    private final Map<String, Progress> progress = new TreeMap<>();
    private final PendingReads reads;
    private String transferee;

    Replicator(Raft raft) {
        this.raft = raft;
        this.log = raft.log;
        this.config = raft.config();
        this.reads = new PendingReads(raft.id(), config.quorum());
        for (String peer : config.peers()) {
            if (!peer.equals(raft.id())) {
                progress.put(peer, new Progress(log.lastIndex() + 1, config.maxInflightMessages()));
            }
        }
    }

    Map<String, Long> matchIndexes() {
        Map<String, Long> out = new TreeMap<>();
        progress.forEach((peer, pr) -> out.put(peer, pr.match));
        return out;
    }

    Map<String, String> describe() {
        Map<String, String> out = new TreeMap<>();
        progress.forEach((peer, pr) -> out.put(peer, pr.describe()));
        return out;
    }

    boolean isTransferring() {
        return transferee != null;
    }

    void tick() {
        for (Progress pr : progress.values()) {
            if (pr.state == Progress.State.SNAPSHOT) {
                pr.snapshotQuietTicks++;
            }
        }
        if (raft.incrementElectionElapsed() >= config.electionTicks()) {
            raft.resetElectionElapsed();
            if (config.checkQuorum() && !quorumActive()) {
                raft.becomeFollower(raft.term(), null); // dissertation §6.2: cannot reach a majority
                return;
            }
            transferee = null; // the transfer did not finish within an election timeout
        }
        if (raft.incrementHeartbeatElapsed() >= config.heartbeatTicks()) {
            raft.resetHeartbeatElapsed();
            broadcastHeartbeat();
        }
    }

    private boolean quorumActive() {
        int active = 1;
        for (Progress pr : progress.values()) {
            if (pr.recentActive) {
                active++;
            }
            pr.recentActive = false;
        }
        return active >= config.quorum();
    }

    void broadcastAppend(boolean sendIfEmpty) {
        for (String peer : progress.keySet()) {
            sendAppend(peer, sendIfEmpty);
        }
    }

    private void broadcastHeartbeat() {
        long seq = reads.latestSeq();
        for (Map.Entry<String, Progress> e : progress.entrySet()) {
            long commit = Math.min(e.getValue().match, log.committed());
            raft.send(new Heartbeat(raft.id(), e.getKey(), raft.term(), commit, seq));
        }
    }

    /**
     * Sends the next batch to {@code to}, capped by count and bytes, unless
     * its progress is paused; falls back to the snapshot when the entries it
     * needs were compacted. Returns whether entries went out.
     */
    private boolean sendAppend(String to, boolean sendIfEmpty) {
        Progress pr = progress.get(to);
        if (pr.isPaused()) {
            return false;
        }
        long prevIndex = pr.next - 1;
        long prevTerm = log.term(prevIndex);
        List<Entry> batch = log.slice(pr.next, config.maxEntriesPerMessage(), config.maxBytesPerMessage());
        if (prevTerm < 0 || batch == null) {
            pr.becomeSnapshot(log.snapshot().index());
            sendSnapshotChunk(to, pr);
            return false;
        }
        if (batch.isEmpty() && !sendIfEmpty) {
            return false;
        }
        raft.send(new AppendEntries(raft.id(), to, raft.term(), prevIndex, prevTerm, batch, log.committed()));
        pr.sent(prevIndex + batch.size(), !batch.isEmpty());
        return !batch.isEmpty();
    }

    private void sendSnapshotChunk(String to, Progress pr) {
        Snapshot s = raft.snapshotWithImage();
        if (s.index() != pr.snapshotIndex) {
            pr.becomeSnapshot(s.index());
        }
        int from = (int) Math.min(pr.snapshotOffset, s.data().length);
        int until = (int) Math.min((long) from + config.maxSnapshotChunkBytes(), s.data().length);
        byte[] chunk = Arrays.copyOfRange(s.data(), from, until);
        pr.snapshotQuietTicks = 0;
        raft.send(new InstallSnapshot(raft.id(), to, raft.term(), s.index(), s.term(), s.data().length, from, chunk));
    }

    /** §5.4.2: commit the highest index a majority holds, but only if it is of this term (Fig. 8). */
    boolean maybeCommit() {
        long[] matches = new long[progress.size() + 1];
        int i = 0;
        matches[i++] = log.lastIndex();
        for (Progress pr : progress.values()) {
            matches[i++] = pr.match;
        }
        Arrays.sort(matches);
        long quorumIndex = matches[matches.length - config.quorum()];
        if (quorumIndex > log.committed() && log.term(quorumIndex) == raft.term()) {
            log.commitTo(quorumIndex);
            return true;
        }
        return false;
    }

    void handleAppendResponse(AppendResponse r) {
        Progress pr = progress.get(r.from());
        pr.recentActive = true;
        if (r.reject()) {
            long hint = r.hintTerm() > 0 ? log.findConflictByTerm(r.hintIndex(), r.hintTerm()) : r.hintIndex();
            if (pr.maybeDecreaseTo(r.index(), hint)) {
                if (pr.state == Progress.State.REPLICATE) {
                    pr.becomeProbe();
                }
                sendAppend(r.from(), true);
            }
            return;
        }
        if (!pr.maybeUpdate(r.index())) {
            return;
        }
        if (pr.state == Progress.State.PROBE
                || (pr.state == Progress.State.SNAPSHOT && pr.match >= pr.snapshotIndex)) {
            pr.becomeReplicate();
        }
        if (maybeCommit()) {
            broadcastAppend(true);
        }
        while (sendAppend(r.from(), false)) {
            // pipelining: keep sending batches until the follower's window is full
        }
        if (r.from().equals(transferee) && pr.match == log.lastIndex()) {
            raft.send(new TimeoutNow(raft.id(), transferee, raft.term()));
        }
    }

    void handleHeartbeatResponse(HeartbeatResponse r) {
        Progress pr = progress.get(r.from());
        pr.recentActive = true;
        pr.probeSent = false;
        pr.freeOneIfFull();
        if (pr.state == Progress.State.SNAPSHOT) {
            if (pr.snapshotQuietTicks >= config.electionTicks()) {
                sendSnapshotChunk(r.from(), pr); // the chunk or its ack was lost: send it again (§7)
            }
        } else if (pr.match < log.lastIndex()) {
            sendAppend(r.from(), true);
        }
        raft.addReadStates(reads.ack(r.from(), r.readSeq()));
    }

    void handleSnapshotAck(SnapshotAck a) {
        Progress pr = progress.get(a.from());
        pr.recentActive = true;
        if (pr.state != Progress.State.SNAPSHOT || a.snapshotIndex() != pr.snapshotIndex) {
            return;
        }
        // Only an ack that moves the offset sends the next chunk: an ack of a duplicate chunk repeats
        // the offset, and answering it too would start a second chunk-ack chain (and so on, per duplicate).
        boolean advanced = a.nextOffset() > pr.snapshotOffset;
        // The follower lost its partial snapshot (it restarted, or a stray chunk of another snapshot reset it).
        boolean startOver = a.nextOffset() == 0 && pr.snapshotOffset > 0;
        if (advanced || startOver) {
            pr.snapshotOffset = a.nextOffset();
            sendSnapshotChunk(a.from(), pr);
        }
    }

    void startRead(long context) {
        reads.add(context, log.committed());
        broadcastHeartbeat();
    }

    void transferTo(String target) {
        transferee = target;
        if (progress.get(target).match == log.lastIndex()) {
            raft.send(new TimeoutNow(raft.id(), target, raft.term()));
        } else {
            sendAppend(target, true);
        }
    }
}
