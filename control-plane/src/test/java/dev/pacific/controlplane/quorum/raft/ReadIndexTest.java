package dev.pacific.controlplane.quorum.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Linearizable reads without writing to the log, dissertation §6.4. */
class ReadIndexTest {

    @Test
    void readIndexNeverReturnsStaleData() {
        Cluster cluster = new Cluster(3);
        cluster.elect("cp-1");
        cluster.propose("cp-1", "x=1");
        cluster.isolate("cp-1");
        String next = cluster.electAmong("cp-2", "cp-3");
        cluster.propose(next, "x=2");
        long newWrite = cluster.node(next).committed();

        Raft deposed = cluster.node("cp-1");
        assertEquals(Role.LEADER, deposed.role(), "cut off, it still believes it leads");
        assertTrue(deposed.readIndex(7));
        cluster.tick("cp-1", 2 * cluster.configs.get("cp-1").electionTicks());
        assertEquals(List.of(), cluster.reads.get("cp-1"), "no majority confirms it, so no read is answered");

        assertTrue(cluster.node(next).readIndex(8));
        cluster.stabilize();
        assertEquals(List.of(new ReadState(8, newWrite)), cluster.reads.get(next));
    }

    @Test
    void aNewLeaderAnswersReadsOnlyAfterCommittingAnEntryOfItsTerm() {
        Cluster cluster = new Cluster(3);
        cluster.isolate("cp-2");
        cluster.isolate("cp-3");
        Raft leader = cluster.node("cp-1");
        cluster.heal();
        cluster.dropWhen(m -> m instanceof Message.AppendResponse);
        cluster.elect("cp-1");
        assertFalse(leader.readIndex(1), "its commit index may lag the previous leader's");
        cluster.heal();
        cluster.tick("cp-1", 1);
        assertTrue(leader.readIndex(1));
    }

    @Test
    void readsWaitingTogetherAreConfirmedByOneRoundOfHeartbeats() {
        Cluster cluster = new Cluster(5);
        cluster.elect("cp-1");
        Raft leader = cluster.node("cp-1");
        cluster.isolate("cp-4");
        cluster.isolate("cp-5");
        leader.readIndex(1);
        leader.readIndex(2);
        cluster.stabilize();
        assertEquals(List.of(new ReadState(1, 1), new ReadState(2, 1)), cluster.reads.get("cp-1"));
    }

    @Test
    void aSingleMemberAnswersReadsAtOnce() {
        Cluster cluster = new Cluster(1);
        cluster.elect("cp-1");
        assertTrue(cluster.node("cp-1").readIndex(3));
        cluster.stabilize();
        assertEquals(List.of(new ReadState(3, 1)), cluster.reads.get("cp-1"));
    }
}
