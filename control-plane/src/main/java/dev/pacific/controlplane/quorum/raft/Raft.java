package dev.pacific.controlplane.quorum.raft;

import dev.pacific.controlplane.quorum.raft.Message.AppendEntries;
import dev.pacific.controlplane.quorum.raft.Message.AppendResponse;
import dev.pacific.controlplane.quorum.raft.Message.Heartbeat;
import dev.pacific.controlplane.quorum.raft.Message.HeartbeatResponse;
import dev.pacific.controlplane.quorum.raft.Message.InstallSnapshot;
import dev.pacific.controlplane.quorum.raft.Message.RequestVote;
import dev.pacific.controlplane.quorum.raft.Message.SnapshotAck;
import dev.pacific.controlplane.quorum.raft.Message.TimeoutNow;
import dev.pacific.controlplane.quorum.raft.Message.VoteResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * One Raft member as a pure state machine, after etcd-io/raft: no threads,
 * clock, disk or network. The driver feeds it {@link #tick()}s, received
 * {@link #step(Message) messages}, {@link #propose(List) proposals} and
 * {@link #readIndex(long) reads}, and carries out each {@link #ready() Ready}
 * before calling {@link #advance(Ready)}. Given the same seed and inputs it
 * produces the same outputs.
 *
 * <p>Section numbers refer to the Raft paper (Ongaro and Ousterhout, 2014)
 * unless they say "dissertation" (Ongaro, 2014).
 */
public final class Raft {

    /**
     * Makes an image of the state machine as of its applied index, for a follower the log can no longer catch up
     * when the log was compacted to a {@link Snapshot#marker}. Called on the driver's thread, between Readys.
     */
    @FunctionalInterface
    public interface ImageSource {
        Snapshot image();
    }

    private static final ImageSource NO_IMAGES = () -> {
        throw new IllegalStateException("the log was compacted to a marker, but this member has no image source");
    };

    private final RaftConfig config;
    private final Random random;
    final RaftLog log;
    private final List<Message> outbox = new ArrayList<>();
    private final List<ReadState> readStates = new ArrayList<>();
    private final Election election;
    private final SnapshotReceiver snapshotReceiver = new SnapshotReceiver();

    private long term;
    private String vote;
    private String leader;
    private Role role = Role.FOLLOWER;
    private int electionElapsed;
    private int heartbeatElapsed;
    private int randomizedElectionTimeout;
    private Replicator replicator;
    private HardState persistedHardState;
    private ImageSource images = NO_IMAGES;

    /** A member restarting from what its driver persisted (or {@link PersistedState#EMPTY}). */
    public Raft(RaftConfig config, Random random, PersistedState restored) {
        this.config = Objects.requireNonNull(config);
        this.random = Objects.requireNonNull(random);
        this.log = new RaftLog(restored);
        this.term = restored.hardState().term();
        this.vote = restored.hardState().vote();
        this.persistedHardState = restored.hardState();
        this.election = new Election(this);
        becomeFollower(term, null);
    }

    // ---- inputs ----

    /** One unit of logical time: election timeouts and heartbeats count these. */
    public void tick() {
        if (role == Role.LEADER) {
            replicator.tick();
            return;
        }
        electionElapsed++;
        if (electionElapsed >= randomizedElectionTimeout) {
            electionElapsed = 0;
            election.campaign(config.preVote(), false);
        }
    }

    /** Appends commands to the log if this member leads and is not handing leadership over. */
    public boolean propose(List<byte[]> commands) {
        if (role != Role.LEADER || replicator.isTransferring()) {
            return false;
        }
        for (byte[] command : commands) {
            log.append(new Entry(term, log.lastIndex() + 1, command));
        }
        replicator.broadcastAppend(false);
        replicator.maybeCommit();
        return true;
    }

    public boolean propose(byte[] command) {
        return propose(List.of(command));
    }

    /**
     * Starts a linearizable read (dissertation §6.4): the answer arrives as a
     * {@link ReadState} once a majority confirmed this member still leads.
     * Returns false if it does not lead, or has not yet committed an entry of
     * its term (it cannot know the commit index before that); the caller retries.
     */
    public boolean readIndex(long context) {
        if (role != Role.LEADER || log.term(log.committed()) != term) {
            return false;
        }
        if (config.peers().size() == 1) {
            readStates.add(new ReadState(context, log.committed()));
            return true;
        }
        replicator.startRead(context);
        return true;
    }

    /**
     * The driver has proof that {@code deadLeader}'s process is gone (its address refused a
     * connection: nothing listens there any more). Waiting out the election timeout (§5.2) would
     * only add that timeout to the outage, so this member stops following it, which also lets it
     * grant other members' (pre-)votes (the lease of dissertation §4.2.3 protects a live leader,
     * and this one is not), and campaigns within a few ticks, staggered by its rank among the
     * other members so that followers told at the same moment do not split the vote. A mistaken
     * report costs little: pre-vote keeps the term, and a live leader's next heartbeat makes this
     * member follow it again.
     */
    public void leaderUnreachable(String deadLeader) {
        if (role != Role.FOLLOWER || leader == null || !leader.equals(deadLeader)) {
            return;
        }
        leader = null;
        int rank = 0;
        for (String peer : config.peers()) {
            if (!peer.equals(deadLeader) && peer.compareTo(config.id()) < 0) {
                rank++;
            }
        }
        electionElapsed = Math.max(electionElapsed, randomizedElectionTimeout - (1 + 2 * rank));
    }

    /** Hands leadership to {@code target} (dissertation §3.10); false if this member cannot. */
    public boolean transferLeadership(String target) {
        if (role != Role.LEADER || target.equals(config.id()) || !config.peers().contains(target)) {
            return false;
        }
        electionElapsed = 0;
        replicator.transferTo(target);
        return true;
    }

    /**
     * Log compaction (§7): the driver has a snapshot of its state machine as of
     * {@code index} (at most the applied index); entries up to it are dropped.
     * The driver persists the snapshot itself, before or with this call.
     */
    public void compact(long index, byte[] data) {
        log.compact(index, data);
    }

    /** Where images come from when a follower needs one and the log holds only a {@link Snapshot#marker}. */
    public void imageSource(ImageSource source) {
        this.images = Objects.requireNonNull(source);
    }

    /** The latest snapshot with its image: a marker is replaced by a fresh image from the {@link ImageSource}. */
    Snapshot snapshotWithImage() {
        Snapshot s = log.snapshot();
        if (s.hasImage()) {
            return s;
        }
        Snapshot image = images.image();
        log.attachImage(image);
        return log.snapshot();
    }

    /** Feeds a message from a peer (Raft paper Fig. 2, "Rules for Servers"). */
    public void step(Message m) {
        if (!m.to().equals(config.id()) || !config.peers().contains(m.from()) || m.from().equals(config.id())) {
            return;
        }
        if (m.term() > term && !election.acceptHigherTerm(m)) {
            return;
        }
        if (m.term() < term) {
            answerStale(m);
            return;
        }
        dispatch(m);
    }

    private void dispatch(Message m) {
        if (m instanceof RequestVote v) {
            election.handleRequest(v);
        } else if (m instanceof VoteResponse v) {
            election.handleResponse(v);
        } else if (m instanceof AppendEntries a) {
            followLeader(a.from());
            handleAppend(a);
        } else if (m instanceof Heartbeat h) {
            followLeader(h.from());
            log.commitTo(h.commit());
            send(new HeartbeatResponse(config.id(), h.from(), term, h.readSeq()));
        } else if (m instanceof InstallSnapshot s) {
            followLeader(s.from());
            handleSnapshot(s);
        } else if (m instanceof TimeoutNow) {
            if (role == Role.FOLLOWER) {
                election.campaign(false, true);
            }
        } else if (m instanceof AppendResponse r) {
            if (role == Role.LEADER) {
                replicator.handleAppendResponse(r);
            }
        } else if (m instanceof HeartbeatResponse r) {
            if (role == Role.LEADER) {
                replicator.handleHeartbeatResponse(r);
            }
        } else if (m instanceof SnapshotAck a) {
            if (role == Role.LEADER) {
                replicator.handleSnapshotAck(a);
            }
        }
    }

    /**
     * A message from an older term. A deposed leader that never hears the new
     * term would keep its followers' pre-votes failing, so tell it (etcd does
     * the same when check-quorum or pre-vote is on); a stale pre-candidate
     * gets its refusal so it stops waiting.
     */
    private void answerStale(Message m) {
        if (m instanceof AppendEntries || m instanceof Heartbeat || m instanceof InstallSnapshot) {
            send(new AppendResponse(config.id(), m.from(), term, 0, true, 0, 0));
        } else if (m instanceof RequestVote v && v.preVote()) {
            send(new VoteResponse(config.id(), m.from(), term, true, false));
        }
    }

    private void followLeader(String from) {
        if (role == Role.LEADER) {
            throw new IllegalStateException(config.id() + " leads term " + term + " but " + from + " claims it too");
        }
        if (role != Role.FOLLOWER) {
            becomeFollower(term, from);
        }
        leader = from;
        electionElapsed = 0;
    }

    /** §5.3: accept entries only where our log matches the leader's at prevIndex. */
    private void handleAppend(AppendEntries a) {
        if (a.prevIndex() < log.committed()) {
            send(new AppendResponse(config.id(), a.from(), term, log.committed(), false, 0, 0));
            return;
        }
        long last = log.maybeAppend(a.prevIndex(), a.prevTerm(), a.entries());
        if (last >= 0) {
            log.commitTo(Math.min(a.commit(), last));
            send(new AppendResponse(config.id(), a.from(), term, last, false, 0, 0));
            return;
        }
        long hint = log.findConflictByTerm(Math.min(a.prevIndex(), log.lastIndex()), a.prevTerm());
        send(new AppendResponse(config.id(), a.from(), term, a.prevIndex(), true, hint, log.term(hint)));
    }

    private void handleSnapshot(InstallSnapshot s) {
        if (s.snapshotIndex() <= log.committed()) {
            // A late or repeated chunk of a snapshot we already have (or have passed): tell the leader
            // where we are, so it stops sending it, rather than restart the transfer from offset 0.
            send(new AppendResponse(config.id(), s.from(), term, log.committed(), false, 0, 0));
            return;
        }
        Snapshot complete = snapshotReceiver.accept(s);
        if (complete == null) {
            send(new SnapshotAck(config.id(), s.from(), term, s.snapshotIndex(), snapshotReceiver.received()));
            return;
        }
        log.restore(complete);
        send(new AppendResponse(config.id(), s.from(), term, log.committed(), false, 0, 0));
    }

    // ---- outputs ----

    public boolean hasReady() {
        return !outbox.isEmpty() || !readStates.isEmpty() || !hardState().equals(persistedHardState)
                || log.pendingSnapshot() != null || log.hasUnstableEntries()
                || log.committed() > log.applied();
    }

    /** The work for the driver; see {@link Ready} for the order in which to do it. */
    public Ready ready() {
        HardState hs = hardState();
        boolean termAndVoteDurable = hs.term() == persistedHardState.term()
                && Objects.equals(hs.vote(), persistedHardState.vote());
        Ready rd = new Ready(hs.equals(persistedHardState) ? null : hs, log.unstableEntries(),
                log.pendingSnapshot(), List.copyOf(outbox), log.committedNotApplied(), List.copyOf(readStates),
                role == Role.LEADER && termAndVoteDurable);
        outbox.clear();
        readStates.clear();
        return rd;
    }

    /** The driver carried out {@code rd}: its state and entries are durable and its entries applied. */
    public void advance(Ready rd) {
        if (rd.hardState() != null) {
            persistedHardState = rd.hardState();
        }
        if (rd.snapshot() != null) {
            log.snapshotPersisted(rd.snapshot());
        }
        if (!rd.entries().isEmpty()) {
            Entry last = rd.entries().get(rd.entries().size() - 1);
            log.stableTo(last.index(), last.term());
        }
        if (!rd.committedEntries().isEmpty()) {
            log.appliedTo(rd.committedEntries().get(rd.committedEntries().size() - 1).index());
        }
    }

    // ---- views ----

    public String id() {
        return config.id();
    }

    public long term() {
        return term;
    }

    public Role role() {
        return role;
    }

    /** The leader this member follows in its term, itself if it leads, or null. */
    public String leader() {
        return leader;
    }

    public HardState hardState() {
        return new HardState(term, vote, log.committed());
    }

    public long committed() {
        return log.committed();
    }

    public long applied() {
        return log.applied();
    }

    public long lastIndex() {
        return log.lastIndex();
    }

    /** The term of the entry at {@code index}, or -1 if it is compacted or absent. */
    public long logTerm(long index) {
        return log.term(index);
    }

    /**
     * A leader's matchIndex for each follower (§5.3), for status pages; empty
     * unless this member leads. Read-only: nothing in the core depends on callers.
     */
    public java.util.Map<String, Long> matchIndexes() {
        return role == Role.LEADER ? replicator.matchIndexes() : java.util.Map.of();
    }

    /** How a leader is replicating to each follower, in words, for status pages; empty unless this member leads. */
    public java.util.Map<String, String> replication() {
        return role == Role.LEADER ? replicator.describe() : java.util.Map.of();
    }

    /** The index of the latest snapshot (0 if none); entries up to it are gone from the log. */
    public long snapshotIndex() {
        return log.snapshot().index();
    }

    // ---- transitions, for Election and Replicator ----

    RaftConfig config() {
        return config;
    }

    String vote() {
        return vote;
    }

    void setVote(String candidate) {
        vote = candidate;
    }

    /** Ticks since this member last heard from its leader (or started waiting for one). */
    public int electionElapsed() {
        return electionElapsed;
    }

    void resetElectionElapsed() {
        electionElapsed = 0;
    }

    /** Called by the leader's tick; returns the updated counts. */
    int incrementElectionElapsed() {
        return ++electionElapsed;
    }

    int incrementHeartbeatElapsed() {
        return ++heartbeatElapsed;
    }

    void resetHeartbeatElapsed() {
        heartbeatElapsed = 0;
    }

    void send(Message m) {
        outbox.add(m);
    }

    void addReadStates(List<ReadState> states) {
        readStates.addAll(states);
    }

    void becomeFollower(long newTerm, String newLeader) {
        reset(newTerm);
        role = Role.FOLLOWER;
        leader = newLeader;
    }

    void becomePreCandidate() {
        election.clearVotes();
        replicator = null;
        leader = null;
        role = Role.PRE_CANDIDATE;
    }

    void becomeCandidate() {
        reset(term + 1);
        vote = config.id();
        role = Role.CANDIDATE;
    }

    /** §5.2, §8: a new leader appends an empty entry of its term and sends it everywhere. */
    void becomeLeader() {
        reset(term);
        role = Role.LEADER;
        leader = config.id();
        replicator = new Replicator(this);
        log.append(new Entry(term, log.lastIndex() + 1, new byte[0]));
        replicator.broadcastAppend(true);
        replicator.maybeCommit();
    }

    private void reset(long newTerm) {
        if (newTerm != term) {
            term = newTerm;
            vote = null;
        }
        leader = null;
        electionElapsed = 0;
        heartbeatElapsed = 0;
        randomizedElectionTimeout = config.electionTicks() + random.nextInt(config.electionTicks());
        election.clearVotes();
        replicator = null;
    }
}
