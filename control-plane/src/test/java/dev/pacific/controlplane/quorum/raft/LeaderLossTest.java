package dev.pacific.controlplane.quorum.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A follower told that its leader's process is gone (the driver's connection was refused) need not
 * wait out the election timeout of §5.2; a mistaken report must not depose a live leader.
 */
class LeaderLossTest {

    @Test
    void followersToldTheLeaderIsGoneElectASuccessorWellWithinTheElectionTimeout() {
        Cluster cluster = new Cluster(3);
        cluster.elect("cp-1");
        long term = cluster.node("cp-1").term();
        cluster.isolate("cp-1");
        cluster.node("cp-2").leaderUnreachable("cp-1");
        cluster.node("cp-3").leaderUnreachable("cp-1");
        int electionTicks = cluster.configs.get("cp-2").electionTicks();
        int ticks = 0;
        while (cluster.node("cp-2").role() != Role.LEADER && cluster.node("cp-3").role() != Role.LEADER) {
            ticks++;
            cluster.tick("cp-2", 1);
            cluster.tick("cp-3", 1);
            assertTrue(ticks < electionTicks, "a successor within " + ticks + " ticks, fewer than the " + electionTicks
                    + " of the shortest election timeout");
        }
        // staggered by rank, so the two did not split the vote: one election, one new term
        assertEquals(term + 1, cluster.node("cp-2").term());
        assertEquals(term + 1, cluster.node("cp-3").term());
    }

    @Test
    void aFollowerToldAloneStillCannotWinWhileTheOtherHoldsItsLeaseButNoLongerHoldsOneItself() {
        Cluster cluster = new Cluster(3);
        cluster.elect("cp-1");
        long term = cluster.node("cp-1").term();
        cluster.isolate("cp-1");
        cluster.node("cp-3").leaderUnreachable("cp-1");
        String leader = cluster.electAmong("cp-3", "cp-2");
        // cp-3's early pre-vote met cp-2's lease (dissertation §4.2.3) and changed nothing; cp-2's own
        // campaign then found cp-3 out of its lease and won at the first attempt
        assertEquals("cp-2", leader);
        assertEquals(term + 1, cluster.node("cp-2").term());
    }

    @Test
    void aMistakenReportDoesNotDeposeALiveLeader() {
        Cluster cluster = new Cluster(3);
        cluster.elect("cp-1");
        long term = cluster.node("cp-1").term();
        cluster.node("cp-2").leaderUnreachable("cp-1");
        assertNull(cluster.node("cp-2").leader(), "it stops following the reported leader");
        for (int i = 0; i < 3 * cluster.configs.get("cp-2").electionTicks(); i++) {
            cluster.tick("cp-2", 1);
            cluster.tick("cp-1", 1);
            cluster.tick("cp-3", 1);
        }
        assertEquals(Role.LEADER, cluster.node("cp-1").role());
        assertEquals(term, cluster.node("cp-1").term(), "pre-vote kept the term");
        assertEquals("cp-1", cluster.node("cp-2").leader(), "the live leader's heartbeats won it back");
    }

    @Test
    void aReportAboutAnotherMemberChangesNothing() {
        Cluster cluster = new Cluster(3);
        cluster.elect("cp-1");
        cluster.node("cp-2").leaderUnreachable("cp-3");
        assertEquals("cp-1", cluster.node("cp-2").leader());
    }
}
