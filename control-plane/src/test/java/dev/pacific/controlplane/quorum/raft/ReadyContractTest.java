package dev.pacific.controlplane.quorum.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a driver may rely on: see {@link Ready} for the order of work. */
class ReadyContractTest {

    @Test
    void entriesSurviveACrashOnlyOnceAReadyPersistedThem() {
        Cluster cluster = new Cluster(1);
        cluster.elect("cp-1");
        Raft leader = cluster.node("cp-1");
        assertTrue(leader.propose("lost".getBytes()));
        cluster.restart("cp-1");
        assertEquals(1, cluster.node("cp-1").lastIndex(), "never handed out in a Ready, so never durable");

        cluster.elect("cp-1");
        cluster.propose("cp-1", "kept");
        cluster.restart("cp-1");
        Raft restarted = cluster.node("cp-1");
        assertEquals(3, restarted.lastIndex());
        assertEquals(3, restarted.committed(), "the commit index is part of the hard state");
    }

    @Test
    void messagesLeaveOnlyThroughAReadyAfterTheStateTheyPromise() {
        Cluster cluster = new Cluster(3);
        Raft voter = cluster.node("cp-2");
        voter.step(new Message.RequestVote("cp-1", "cp-2", 1, 0, 0, false, false));
        Ready rd = voter.ready();
        assertEquals(new HardState(1, "cp-1", 0), rd.hardState(), "the vote must be durable first");
        assertEquals(List.of(new Message.VoteResponse("cp-2", "cp-1", 1, false, true)), rd.messages());
        voter.advance(rd);
        assertFalse(voter.hasReady());
    }

    @Test
    void anUnchangedHardStateIsNotReportedAgain() {
        Cluster cluster = new Cluster(3);
        cluster.elect("cp-1");
        Raft follower = cluster.node("cp-2");
        follower.step(new Message.Heartbeat("cp-1", "cp-2", follower.term(), follower.committed(), 0));
        Ready rd = follower.ready();
        assertNull(rd.hardState());
        assertEquals(1, rd.messages().size());
    }

    @Test
    void committedEntriesAreHandedOutOnceEach() {
        Cluster cluster = new Cluster(3);
        cluster.elect("cp-1");
        cluster.propose("cp-1", "a", "b");
        cluster.tick("cp-1", 3);
        for (String name : cluster.names) {
            List<Long> indexes = cluster.applied.get(name).stream().map(Entry::index).toList();
            assertEquals(List.of(1L, 2L, 3L), indexes, name);
        }
    }

    @Test
    void aLeaderMaySendItsAppendsBeforeItPersistsTheEntriesTheyCarry() {
        Cluster cluster = new Cluster(3);
        cluster.elect("cp-1");
        Raft leader = cluster.node("cp-1");
        assertTrue(leader.propose("x".getBytes()));
        Ready rd = leader.ready();
        assertEquals(1, rd.entries().size());
        assertEquals(2, rd.sendableBeforePersist().size(), "an append to each follower");
        assertTrue(rd.sendableBeforePersist().stream().allMatch(m -> m instanceof Message.AppendEntries));
        assertTrue(rd.sendAfterPersist().isEmpty());
        assertEquals(1, leader.committed(), "only the term's first entry: its own copy of x counts only by acks");
    }

    @Test
    void aFollowerWritesEntriesSentEarlyAndAcknowledgesThemOnlyAfterItsOwnPersist() {
        Cluster cluster = new Cluster(3);
        cluster.elect("cp-1");
        Raft leader = cluster.node("cp-1");
        leader.propose("x".getBytes());
        Ready rd = leader.ready();
        long entry = rd.entries().get(0).index();
        // sent before the leader persisted them: the follower must still persist before it acknowledges
        Raft follower = cluster.node("cp-2");
        rd.sendableBeforePersist().stream().filter(m -> m.to().equals("cp-2")).forEach(follower::step);
        Ready ack = follower.ready();
        assertEquals(entry, ack.entries().get(ack.entries().size() - 1).index(), "the follower writes x too");
        assertTrue(ack.sendableBeforePersist().isEmpty(), "a follower's acknowledgement waits for its persist");
        assertEquals(ack.messages(), ack.sendAfterPersist());
    }

    @Test
    void aMemberThatVotedSendsNothingBeforeItsPersist() {
        Cluster cluster = new Cluster(3);
        Raft voter = cluster.node("cp-2");
        voter.step(new Message.RequestVote("cp-1", "cp-2", 1, 0, 0, false, false));
        Ready rd = voter.ready();
        assertEquals(new HardState(1, "cp-1", 0), rd.hardState());
        assertTrue(rd.sendableBeforePersist().isEmpty());
        assertEquals(rd.messages(), rd.sendAfterPersist());
    }

    @Test
    void aLeaderWhoseTermChangedInTheReadySendsNothingBeforeItsPersist() {
        Cluster cluster = new Cluster(1);
        Raft alone = cluster.node("cp-1");
        for (int i = 0; i < 100 && !alone.hasReady(); i++) {
            alone.tick();
        }
        Ready rd = alone.ready();
        assertTrue(rd.hardState() != null && rd.hardState().term() == 1, "won its own election in this Ready");
        assertFalse(rd.leaderPipelines(), "its new term and vote must be durable before anything leaves");
    }
}
