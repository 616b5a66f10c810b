package dev.pacific.controlplane.quorum.raft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.controlplane.quorum.raft.Message.AppendResponse;
import dev.pacific.controlplane.quorum.raft.Message.InstallSnapshot;
import dev.pacific.controlplane.quorum.raft.Message.SnapshotAck;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Log compaction and InstallSnapshot, Raft paper §7. */
class SnapshotTest {

    @Test
    void snapshotInstallBringsALaggingFollowerUpToDate() {
        Cluster cluster = new Cluster(3, c -> c.withMaxSnapshotChunkBytes(7));
        cluster.elect("cp-1");
        cluster.isolate("cp-3");
        for (int i = 0; i < 20; i++) {
            cluster.propose("cp-1", "v" + i);
        }
        Raft leader = cluster.node("cp-1");
        byte[] image = "state machine image of fifty bytes, more or less!".getBytes();
        long at = leader.applied();
        leader.compact(at, image);
        cluster.storage.get("cp-1").compact(new Snapshot(at, leader.logTerm(at), image));
        cluster.propose("cp-1", "after");
        assertEquals(at, leader.snapshotIndex());

        cluster.heal();
        cluster.delivered.clear();
        cluster.tick("cp-1", 2);

        Raft follower = cluster.node("cp-3");
        List<InstallSnapshot> chunks = cluster.delivered.stream()
                .filter(m -> m instanceof InstallSnapshot).map(m -> (InstallSnapshot) m).toList();
        assertTrue(chunks.size() >= (image.length + 6) / 7, "chunks: " + chunks.size());
        assertTrue(chunks.stream().allMatch(c -> c.chunk().length <= 7));
        assertArrayEquals(image, cluster.storage.get("cp-3").snapshot().data());
        assertEquals(leader.lastIndex(), follower.lastIndex());
        assertEquals(leader.committed(), follower.committed());
        assertEquals(cluster.terms("cp-1"), cluster.terms("cp-3"));
        assertEquals("after", new String(cluster.applied.get("cp-3").get(cluster.applied.get("cp-3").size() - 1).data()));
    }

    /** A log compacted to a marker asks its image source once, when a follower needs the image, and sends that. */
    @Test
    void aMarkerIsReplacedByAnImageWhenAFollowerNeedsOne() {
        Cluster cluster = laggingCp3(8);
        Raft leader = cluster.node("cp-1");
        long marked = leader.applied();
        leader.compact(marked, null);
        cluster.storage.get("cp-1").compact(Snapshot.marker(marked, leader.logTerm(marked)));
        cluster.propose("cp-1", "d");
        byte[] image = "the state as of the applied index".getBytes();
        int[] asked = {0};
        leader.imageSource(() -> {
            asked[0]++;
            return new Snapshot(leader.applied(), leader.logTerm(leader.applied()), image);
        });
        assertEquals(0, asked[0], "no image is made while no follower needs one");

        cluster.heal();
        cluster.tick("cp-1", 2);

        assertEquals(1, asked[0], "one image for the follower");
        assertArrayEquals(image, cluster.storage.get("cp-3").snapshot().data());
        assertTrue(cluster.storage.get("cp-3").snapshot().index() > marked, "made at the applied index, past the marker");
        assertEquals(leader.lastIndex(), cluster.node("cp-3").lastIndex());
        assertEquals(leader.committed(), cluster.node("cp-3").committed());
        assertTrue(!cluster.storage.get("cp-1").snapshot().hasImage(), "the leader's storage keeps its marker");
    }

    @Test
    void aLostChunkIsSentAgain() {
        Cluster cluster = laggingCp3(4);
        Raft leader = cluster.node("cp-1");
        leader.compact(leader.applied(), "0123456789abcdef".getBytes());
        cluster.heal();
        boolean[] dropped = {false};
        cluster.dropWhen(m -> m instanceof InstallSnapshot s && s.offset() == 8 && !dropped[0] && (dropped[0] = true));
        // a lost chunk is sent again once the follower has been silent for an election timeout
        cluster.tick("cp-1", 3 * cluster.configs.get("cp-1").electionTicks());
        assertTrue(dropped[0]);
        assertArrayEquals("0123456789abcdef".getBytes(), cluster.storage.get("cp-3").snapshot().data());
        assertEquals(leader.lastIndex(), cluster.node("cp-3").lastIndex());
    }

    @Test
    void aRestartedMemberResumesFromItsSnapshotAndLog() {
        Cluster cluster = new Cluster(3);
        cluster.elect("cp-1");
        cluster.propose("cp-1", "a", "b", "c");
        Raft follower = cluster.node("cp-2");
        long at = follower.applied();
        follower.compact(at - 1, "image".getBytes());
        cluster.storage.get("cp-2").compact(new Snapshot(at - 1, follower.logTerm(at - 1), "image".getBytes()));
        cluster.restart("cp-2");
        cluster.stabilize();
        Raft restarted = cluster.node("cp-2");
        assertEquals(at - 1, restarted.snapshotIndex());
        assertEquals(at, restarted.committed());
        assertEquals(List.of("c"), cluster.applied.get("cp-2").stream().map(e -> new String(e.data())).toList(),
                "only the entry after the snapshot is replayed");
    }

    /**
     * A follower slow to acknowledge (here: its acks are lost) gets a chunk again only after an
     * election timeout of silence, not on every heartbeat reply: each resend used to start one more
     * chunk-ack chain, so a busy follower was sent a multi-megabyte snapshot many times over.
     */
    @Test
    void aSlowFollowerIsNotSentTheSameChunkOnEveryHeartbeat() {
        Cluster cluster = laggingCp3(4);
        Raft leader = cluster.node("cp-1");
        leader.compact(leader.applied(), "0123456789abcdef".getBytes());
        cluster.heal();
        cluster.dropWhen(m -> m instanceof SnapshotAck);
        cluster.delivered.clear();
        int ticks = 5 * cluster.configs.get("cp-1").electionTicks();
        cluster.tick("cp-1", ticks);
        long chunks = cluster.delivered.stream().filter(m -> m instanceof InstallSnapshot).count();
        assertTrue(chunks <= ticks / cluster.configs.get("cp-1").electionTicks() + 1,
                chunks + " chunks in " + ticks + " ticks");

        cluster.heal();
        cluster.tick("cp-1", 2 * cluster.configs.get("cp-1").electionTicks());
        assertArrayEquals("0123456789abcdef".getBytes(), cluster.storage.get("cp-3").snapshot().data());
        assertEquals(leader.lastIndex(), cluster.node("cp-3").lastIndex());
    }

    /**
     * The follower installed the snapshot but its answer was lost; a chunk sent again is answered
     * with where the follower is, so the leader goes back to replicating entries instead of
     * sending the whole snapshot once more from offset 0.
     */
    @Test
    void aChunkOfASnapshotTheFollowerHasMovesTheLeaderOn() {
        Cluster cluster = laggingCp3(4);
        Raft leader = cluster.node("cp-1");
        long at = leader.applied();
        leader.compact(at, "0123456789abcdef".getBytes());
        cluster.heal();
        boolean[] dropped = {false};
        cluster.dropWhen(m -> m instanceof AppendResponse r && r.from().equals("cp-3") && !r.reject() && r.index() == at
                && !dropped[0] && (dropped[0] = true));
        cluster.tick("cp-1", 1);
        assertTrue(dropped[0], "the follower installed the snapshot and its answer was lost");
        assertEquals(at, cluster.node("cp-3").committed());

        cluster.delivered.clear();
        cluster.tick("cp-1", 2 * cluster.configs.get("cp-1").electionTicks());
        assertEquals(0, cluster.delivered.stream().filter(m -> m instanceof InstallSnapshot s && s.offset() == 0).count(),
                "the snapshot is not sent again from the start");
        cluster.propose("cp-1", "after");
        assertEquals(leader.lastIndex(), cluster.node("cp-3").lastIndex());
        assertEquals(leader.committed(), cluster.node("cp-3").committed());
    }

    /** Three members led by cp-1, snapshot chunks of {@code chunkBytes}; cp-3 cut off while "a", "b", "c" commit. */
    private static Cluster laggingCp3(int chunkBytes) {
        Cluster cluster = new Cluster(3, c -> c.withMaxSnapshotChunkBytes(chunkBytes));
        cluster.elect("cp-1");
        cluster.isolate("cp-3");
        cluster.propose("cp-1", "a", "b", "c");
        return cluster;
    }
}
