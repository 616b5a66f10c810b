package dev.pacific.controlplane.quorum.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.controlplane.quorum.raft.Message.AppendEntries;
import dev.pacific.controlplane.quorum.raft.Message.AppendResponse;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Log replication and commitment, Raft paper §5.3 and §5.4. */
class ReplicationTest {

    @Test
    void logMatching_aFollowerReplacesEntriesThatConflictWithTheLeader() {
        Cluster cluster = new Cluster(3, c -> c, Map.of(
                "cp-1", Cluster.logOf(3, 1, 1, 3, 3),
                "cp-2", Cluster.logOf(2, 1, 1, 2, 2, 2),
                "cp-3", Cluster.logOf(3, 1, 1, 3)));
        cluster.elect("cp-1");
        cluster.propose("cp-1", "x");
        List<Long> expected = List.of(1L, 3L, 3L, 4L, 4L);
        for (String name : cluster.names) {
            assertEquals(expected, cluster.terms(name), name);
            assertEquals(5, cluster.node(name).lastIndex());
        }
        assertEquals(cluster.storage.get("cp-1").entries(), cluster.storage.get("cp-2").entries(),
                "same index and term means the same entries before it (§5.3)");
    }

    /**
     * Raft paper Fig. 8: an entry of an earlier term on a majority is not yet
     * safe, so the leader must not count it committed until an entry of its
     * own term is on a majority too (§5.4.2).
     */
    @Test
    void leaderCommitsOnlyEntriesOfItsOwnTerm() {
        Cluster cluster = new Cluster(3, c -> c.withMaxEntriesPerMessage(1), Map.of(
                "cp-1", Cluster.logOf(2, 1, 1, 2),
                "cp-2", Cluster.logOf(2, 1, 1),
                "cp-3", Cluster.logOf(2, 1, 1)));
        Raft follower = cluster.node("cp-2");
        cluster.dropWhen(m -> m.to().equals("cp-3") && m instanceof AppendEntries
                || m instanceof AppendEntries a && follower.lastIndex() == 2
                        && a.entries().stream().anyMatch(e -> e.index() == 3));
        cluster.elect("cp-1");
        Raft leader = cluster.node("cp-1");
        assertEquals(3, leader.term());
        assertEquals(2, cluster.node("cp-2").logTerm(2), "the term-2 entry is on a majority");
        assertEquals(1, leader.committed(), "yet it is not committed by counting replicas");

        cluster.heal();
        cluster.tick("cp-1", 1);
        assertEquals(3, leader.committed(), "the term-3 entry commits it, with everything before");
    }

    @Test
    void stateMachineSafety_membersApplyTheSameEntryAtEachIndex() {
        for (int seed = 0; seed < 10; seed++) {
            Random random = new Random(seed);
            Cluster cluster = new Cluster(5, c -> c.withMaxEntriesPerMessage(2));
            String[] cut = {null};
            cluster.dropWhen(m -> random.nextInt(100) < 20 || m.from().equals(cut[0]) || m.to().equals(cut[0]));
            for (int round = 0; round < 1500; round++) {
                if (round % 150 == 0) {
                    cut[0] = cluster.names.get(random.nextInt(5));
                }
                String name = cluster.names.get(random.nextInt(5));
                cluster.node(name).propose(("v" + round).getBytes());
                cluster.tick(name, 1);
            }
            cluster.heal();
            for (int i = 0; i < 50; i++) {
                cluster.names.forEach(n -> cluster.tick(n, 1));
            }
            List<Entry> reference = cluster.applied.get("cp-1");
            assertTrue(reference.size() > 20, "seed " + seed + " applied only " + reference.size());
            for (String name : cluster.names) {
                assertEquals(reference, cluster.applied.get(name), "seed " + seed + ", " + name);
            }
        }
    }

    @Test
    void batchingCapsEntriesPerMessageByCountAndBytes() {
        Cluster cluster = new Cluster(3, c -> c.withMaxEntriesPerMessage(4).withMaxBytesPerMessage(100));
        cluster.elect("cp-1");
        cluster.isolate("cp-3");
        for (int i = 0; i < 30; i++) {
            cluster.propose("cp-1", "0123456789");   // 26 bytes each: the byte cap allows 3
        }
        cluster.propose("cp-1", "x".repeat(300)); // larger than the cap: goes alone
        cluster.heal();
        cluster.delivered.clear();
        cluster.tick("cp-1", 1);

        List<AppendEntries> toLaggard = cluster.delivered.stream()
                .filter(m -> m instanceof AppendEntries a && a.to().equals("cp-3") && !a.entries().isEmpty())
                .map(m -> (AppendEntries) m).toList();
        assertTrue(toLaggard.size() >= 11, "32 entries need at least 11 messages, got " + toLaggard.size());
        for (AppendEntries a : toLaggard) {
            long bytes = a.entries().stream().mapToLong(Entry::sizeInBytes).sum();
            assertTrue(a.entries().size() <= 4);
            assertTrue(bytes <= 100 || a.entries().size() == 1, "message of " + bytes + " bytes");
        }
        assertEquals(cluster.node("cp-1").lastIndex(), cluster.node("cp-3").lastIndex());
    }

    @Test
    void fastBackOff_skipsAWholeConflictingTermPerRoundTrip() {
        long[] longStaleTail = new long[51];
        java.util.Arrays.fill(longStaleTail, 2);
        longStaleTail[0] = 1;
        Cluster cluster = new Cluster(3, c -> c, Map.of(
                "cp-1", Cluster.logOf(3, 1, 1, 3),
                "cp-2", Cluster.logOf(2, 1, longStaleTail),
                "cp-3", Cluster.logOf(3, 1, 1)));
        cluster.elect("cp-1");
        cluster.tick("cp-1", 2);
        long rejections = cluster.delivered.stream()
                .filter(m -> m instanceof AppendResponse r && r.reject() && r.from().equals("cp-2")).count();
        assertTrue(rejections <= 2, "50 conflicting entries cost " + rejections + " round trips");
        assertEquals(cluster.terms("cp-1"), cluster.terms("cp-2"));
    }

    @Test
    void pipelining_aReplicatingLeaderKeepsSeveralBatchesInFlight() {
        Cluster cluster = new Cluster(3, c -> c.withMaxEntriesPerMessage(1).withMaxInflightMessages(4));
        cluster.elect("cp-1");
        Raft leader = cluster.node("cp-1");
        for (int i = 0; i < 10; i++) {
            assertTrue(leader.propose(("p" + i).getBytes()));
        }
        Ready rd = leader.ready();
        long toFollower = rd.messages().stream()
                .filter(m -> m instanceof AppendEntries a && a.to().equals("cp-2")).count();
        assertEquals(4, toFollower, "four batches go out before any reply, then the window is full");
        cluster.storage.get("cp-1").persist(rd);
        leader.advance(rd);
        rd.messages().forEach(m -> cluster.node(m.to()).step(m));
        cluster.stabilize();
        cluster.tick("cp-1", 3);
        assertEquals(leader.lastIndex(), cluster.node("cp-2").lastIndex());
        assertEquals(leader.lastIndex(), leader.committed());
    }

    @Test
    void followersRefuseProposals() {
        Cluster cluster = new Cluster(3);
        cluster.elect("cp-1");
        assertTrue(!cluster.node("cp-2").propose("x".getBytes()));
        assertEquals("cp-1", cluster.node("cp-2").leader(), "so the driver can redirect the client");
    }
}
