package dev.pacific.controlplane.quorum.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.controlplane.quorum.raft.Message.RequestVote;
import dev.pacific.controlplane.quorum.raft.Message.VoteResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Leader election, Raft paper §5.2 and §5.4.1, with the dissertation's pre-vote (§9.6) and check-quorum (§6.2). */
class ElectionTest {

    @Test
    void electionSafety_atMostOneLeaderIsElectedInATerm() {
        for (int seed = 0; seed < 20; seed++) {
            Random random = new Random(seed);
            Cluster cluster = new Cluster(5, c -> c.withPreVote(false).withCheckQuorum(false));
            String[] cut = {null};
            cluster.dropWhen(m -> random.nextInt(100) < 30 || m.from().equals(cut[0]) || m.to().equals(cut[0]));
            Map<Long, String> leaders = new HashMap<>();
            for (int round = 0; round < 2000; round++) {
                if (round % 100 == 0) {
                    cut[0] = cluster.names.get(random.nextInt(5)); // cut someone off, often the leader
                }
                String name = cluster.names.get(random.nextInt(5));
                cluster.tick(name, 1);
                for (Raft raft : cluster.nodes.values()) {
                    if (raft.role() == Role.LEADER) {
                        String before = leaders.putIfAbsent(raft.term(), raft.id());
                        assertTrue(before == null || before.equals(raft.id()),
                                "seed " + seed + ": term " + raft.term() + " has leaders " + before + " and " + raft.id());
                    }
                }
            }
            assertTrue(leaders.size() > 1, "seed " + seed + " should have seen several elections");
        }
    }

    @Test
    void leaderCompleteness_aMemberMissingCommittedEntriesCannotWin() {
        Cluster cluster = new Cluster(3);
        cluster.elect("cp-1");
        cluster.isolate("cp-3");
        cluster.propose("cp-1", "a", "b");
        long committed = cluster.node("cp-1").committed();
        assertEquals(3, committed);
        cluster.heal();
        cluster.isolate("cp-1");

        cluster.tick("cp-3", 60);
        assertNotEquals(Role.LEADER, cluster.node("cp-3").role(), "cp-2 must refuse its vote (§5.4.1)");

        cluster.elect("cp-2");
        assertEquals(committed, cluster.node("cp-2").lastIndex() - 1, "the new leader holds every committed entry");
    }

    @Test
    void preVoteDoesNotDisruptAStableLeader() {
        Cluster cluster = new Cluster(3);
        cluster.elect("cp-1");
        long term = cluster.node("cp-1").term();
        cluster.isolate("cp-3");
        cluster.tick("cp-3", 100);
        assertEquals(term, cluster.node("cp-3").term(), "a pre-vote that cannot win leaves the term alone");

        cluster.heal();
        cluster.tick("cp-3", 30);
        cluster.tick("cp-1", 3);
        assertEquals(Role.LEADER, cluster.node("cp-1").role());
        assertEquals(term, cluster.node("cp-1").term());
        assertEquals("cp-1", cluster.node("cp-3").leader());
    }

    @Test
    void withoutPreVoteARejoiningMemberDisruptsTheLeader() {
        Cluster cluster = new Cluster(3, c -> c.withPreVote(false));
        cluster.elect("cp-1");
        long term = cluster.node("cp-1").term();
        cluster.isolate("cp-3");
        cluster.tick("cp-3", 100);
        assertTrue(cluster.node("cp-3").term() > term);

        cluster.heal();
        cluster.tick("cp-1", 1);
        assertNotEquals(Role.LEADER, cluster.node("cp-1").role(), "the contrast that pre-vote exists for");
    }

    @Test
    void checkQuorum_aLeaderThatCannotReachAMajorityStepsDown() {
        Cluster cluster = new Cluster(5);
        cluster.elect("cp-1");
        cluster.tick("cp-1", 5);
        assertEquals(Role.LEADER, cluster.node("cp-1").role());
        cluster.isolate("cp-1");
        cluster.tick("cp-1", 2 * cluster.configs.get("cp-1").electionTicks());
        assertEquals(Role.FOLLOWER, cluster.node("cp-1").role());
        assertEquals(null, cluster.node("cp-1").leader());
    }

    @Test
    void aMemberVotesAtMostOncePerTermEvenAcrossRestarts() {
        Cluster cluster = new Cluster(3);
        cluster.node("cp-2").step(new RequestVote("cp-1", "cp-2", 5, 0, 0, false, false));
        cluster.isolate("cp-2");
        cluster.stabilize();
        cluster.restart("cp-2");
        Raft restarted = cluster.node("cp-2");
        restarted.step(new RequestVote("cp-3", "cp-2", 5, 9, 4, false, false));
        List<Message> out = restarted.ready().messages();
        assertEquals(List.of(new VoteResponse("cp-2", "cp-3", 5, false, false)), out);
        assertEquals("cp-1", cluster.storage.get("cp-2").hardState().vote());
    }

    @Test
    void aSingleMemberElectsItselfAndCommitsAlone() {
        Cluster cluster = new Cluster(1);
        cluster.elect("cp-1");
        cluster.propose("cp-1", "x");
        assertEquals(2, cluster.node("cp-1").committed());
        assertEquals(2, cluster.applied.get("cp-1").size());
    }
}
