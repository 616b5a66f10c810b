package dev.pacific.controlplane.quorum.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Leadership transfer, dissertation §3.10. */
class LeadershipTransferTest {

    @Test
    void leadershipTransferHandsOverToAnUpToDateFollower() {
        Cluster cluster = new Cluster(3);
        cluster.elect("cp-1");
        long term = cluster.node("cp-1").term();
        assertTrue(cluster.node("cp-1").transferLeadership("cp-2"));
        cluster.stabilize();
        assertEquals(Role.LEADER, cluster.node("cp-2").role());
        assertEquals(term + 1, cluster.node("cp-2").term());
        assertEquals("cp-2", cluster.node("cp-1").leader());
    }

    @Test
    void leadershipTransferCatchesUpALaggingTargetFirst() {
        Cluster cluster = new Cluster(3);
        cluster.elect("cp-1");
        cluster.isolate("cp-3");
        cluster.propose("cp-1", "a", "b", "c");
        cluster.heal();
        Raft leader = cluster.node("cp-1");
        assertTrue(leader.transferLeadership("cp-3"));
        assertFalse(leader.propose("d".getBytes()), "proposals wait while leadership moves");
        cluster.stabilize();
        assertEquals(Role.LEADER, cluster.node("cp-3").role());
        assertEquals(cluster.terms("cp-1"), cluster.terms("cp-3"));
    }

    @Test
    void aTransferThatCannotFinishIsAbandonedAfterAnElectionTimeout() {
        Cluster cluster = new Cluster(3);
        cluster.elect("cp-1");
        cluster.isolate("cp-3");
        Raft leader = cluster.node("cp-1");
        assertTrue(leader.transferLeadership("cp-3"));
        cluster.tick("cp-1", cluster.configs.get("cp-1").electionTicks());
        assertEquals(Role.LEADER, leader.role());
        assertTrue(leader.propose("d".getBytes()));
    }
}
