package dev.pacific.controlplane.quorum.raft;

import dev.pacific.controlplane.quorum.raft.Message.AppendEntries;
import dev.pacific.controlplane.quorum.raft.Message.Heartbeat;
import dev.pacific.controlplane.quorum.raft.Message.InstallSnapshot;
import dev.pacific.controlplane.quorum.raft.Message.RequestVote;
import dev.pacific.controlplane.quorum.raft.Message.VoteResponse;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Leader election (Raft paper §5.2, §5.4.1) with the pre-vote and the
 * leader-lease rule of the dissertation (§9.6, §4.2.3), which keep a member
 * that was cut off from disrupting a healthy leader when it comes back.
 */
final class Election {

    private final Raft raft;
    private final Map<String, Boolean> votes = new TreeMap<>();

    Election(Raft raft) {
        this.raft = raft;
    }

    void clearVotes() {
        votes.clear();
    }

    /**
     * Starts a pre-vote, or a real election at the next term. A transfer
     * campaign (§3.10) skips the pre-vote and tells voters to ignore their lease.
     */
    void campaign(boolean preVote, boolean transfer) {
        long voteTerm;
        if (preVote) {
            raft.becomePreCandidate();
            voteTerm = raft.term() + 1;
        } else {
            raft.becomeCandidate();
            voteTerm = raft.term();
        }
        if (record(raft.id(), true)) {
            return;
        }
        for (String peer : raft.config().peers()) {
            if (!peer.equals(raft.id())) {
                raft.send(new RequestVote(raft.id(), peer, voteTerm, raft.log.lastIndex(), raft.log.lastTerm(),
                        preVote, transfer));
            }
        }
    }

    /**
     * Decides whether a message of a higher term moves this member to that term
     * (§5.1) and returns whether to go on processing it.
     */
    boolean acceptHigherTerm(Message m) {
        if (m instanceof RequestVote v) {
            RaftConfig c = raft.config();
            boolean inLease = c.checkQuorum() && raft.leader() != null && raft.electionElapsed() < c.electionTicks();
            if (inLease && !v.transfer()) {
                return false; // dissertation §4.2.3: a live leader's followers ignore disruptive candidates
            }
            if (!v.preVote()) {
                raft.becomeFollower(m.term(), null);
            }
            return true;
        }
        if (m instanceof VoteResponse r && r.preVote() && r.granted()) {
            return true; // granted pre-votes carry the term we are about to campaign at
        }
        boolean fromLeader = m instanceof AppendEntries || m instanceof Heartbeat || m instanceof InstallSnapshot;
        raft.becomeFollower(m.term(), fromLeader ? m.from() : null);
        return true;
    }

    /**
     * §5.2, §5.4.1: grant at most one vote per term, and only to a candidate
     * whose log is at least as up to date. A pre-vote changes nothing here.
     */
    void handleRequest(RequestVote v) {
        boolean canVote = Objects.equals(raft.vote(), v.from())
                || (raft.vote() == null && raft.leader() == null)
                || (v.preVote() && v.term() > raft.term());
        if (canVote && raft.log.isUpToDate(v.lastIndex(), v.lastTerm())) {
            raft.send(new VoteResponse(raft.id(), v.from(), v.term(), v.preVote(), true));
            if (!v.preVote()) {
                raft.resetElectionElapsed();
                raft.setVote(v.from());
            }
        } else {
            raft.send(new VoteResponse(raft.id(), v.from(), raft.term(), v.preVote(), false));
        }
    }

    void handleResponse(VoteResponse r) {
        boolean expected = (raft.role() == Role.PRE_CANDIDATE && r.preVote())
                || (raft.role() == Role.CANDIDATE && !r.preVote());
        if (expected) {
            record(r.from(), r.granted());
        }
    }

    /** Counts a vote; returns true if the campaign is decided (and acted on). */
    private boolean record(String voter, boolean granted) {
        votes.putIfAbsent(voter, granted);
        long yes = votes.values().stream().filter(g -> g).count();
        long no = votes.size() - yes;
        int quorum = raft.config().quorum();
        if (yes >= quorum) {
            if (raft.role() == Role.PRE_CANDIDATE) {
                campaign(false, false);
            } else {
                raft.becomeLeader();
            }
            return true;
        }
        if (no >= quorum) {
            raft.becomeFollower(raft.term(), null);
            return true;
        }
        return false;
    }
}
