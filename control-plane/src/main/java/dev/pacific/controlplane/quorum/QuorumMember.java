package dev.pacific.controlplane.quorum;

import dev.pacific.controlplane.quorum.raft.Entry;
import dev.pacific.controlplane.quorum.raft.HardState;
import dev.pacific.controlplane.quorum.raft.Message;
import dev.pacific.controlplane.quorum.raft.PersistedState;
import dev.pacific.controlplane.quorum.raft.Raft;
import dev.pacific.controlplane.quorum.raft.ReadState;
import dev.pacific.controlplane.quorum.raft.Ready;
import dev.pacific.controlplane.quorum.raft.Role;
import dev.pacific.controlplane.quorum.raft.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * {@code /user/quorum}: one member of the replicated key-value quorum. It owns a
 * {@link Raft} core and drives it as the core's package documentation says:
 * ticks on a timer, peer messages stepped in, and each {@link Ready} carried out
 * in order — persist, then send, then apply and answer — before {@code advance}.
 *
 * <p>Group commit: proposals are buffered and one {@link ProcessReady} is queued
 * behind them, so everything that arrived meanwhile goes into one
 * {@code propose} call and one {@link DurableLog#save} (one fsync). A follower
 * buffers its clients' proposals the same way and forwards each burst to the
 * leader as one {@link Forwarded}; it answers those clients itself when it
 * applies their entries ({@link Forwarder}).
 */
public final class QuorumMember extends AbstractBehavior<QuorumMember.Command> {

  public sealed interface Command
      permits Propose, Read, Renew, GetStatus, WhoLeads, FromPeer, ConfirmRead, ReadConfirmed, Forwarded, Placed, Tick,
      ProcessReady, LeaderGone {}

  /**
   * Replicate {@code command}; the reply is the state machine's {@link Result} once
   * applied, or {@link NotLeader} when the client should retry (elsewhere).
   * {@code hops} counts forwards between members, so views of the leader that
   * disagree for a moment cannot bounce a request forever.
   */
  public record Propose(byte[] command, ActorRef<Reply> replyTo, int hops) implements Command, QuorumWire {
    public Propose(byte[] command, ActorRef<Reply> replyTo) {
      this(command, replyTo, 0);
    }
  }

  /**
   * A linearizable read through ReadIndex (dissertation §6.4), answered by the
   * member it is sent to from its own state machine: a follower first asks the
   * leader for the read index ({@link ConfirmRead}), so values never cross the wire.
   */
  public record Read(byte[] query, ActorRef<Reply> replyTo) implements Command, QuorumWire {}

  /**
   * A request the leader alone answers, once a heartbeat round begun after it arrived confirmed the leadership: a
   * lease keep-alive, which restarts a deadline kept on the leader's clock and writes nothing to the log (etcd's
   * lessor renews the same way). A follower passes it to the leader it knows, once ({@code hops}).
   */
  public record Renew(byte[] request, ActorRef<Reply> replyTo, int hops) implements Command, QuorumWire {}

  public record GetStatus(ActorRef<QuorumStatus> replyTo) implements Command, QuorumWire {}

  /**
   * Who leads, as this member sees it: what readiness polls. Local only, and cheap — unlike
   * {@link GetStatus}, it never digests the state.
   */
  public record WhoLeads(ActorRef<Leadership> replyTo) implements Command {}

  /** The leader this member follows (null while there is none) and its term. */
  public record Leadership(String leader, long term) {}

  /**
   * A follower's clients' proposals for the leader, numbered {@code firstId, firstId + 1, …} within
   * the follower's {@code incarnation}: one message per burst instead of one (and a reply) per request.
   */
  public record Forwarded(String from, long incarnation, long firstId, List<byte[]> commands)
      implements Command, QuorumWire {}

  /**
   * The leader's answer to {@link Forwarded}: it appended those proposals at {@code firstIndex, firstIndex
   * + 1, …} in {@code term}, or refused them ({@code firstIndex} 0; {@code leader} is who leads as far as
   * it knows). Sent on the bulk stream ahead of the entries themselves, so the follower knows what it
   * waits for before it can apply them.
   */
  public record Placed(long incarnation, long firstId, int count, long firstIndex, long term, String leader)
      implements Command, QuorumWire {}

  /** A Raft message from another member. */
  public record FromPeer(Message message) implements Command, QuorumWire {}

  /** A follower asks the leader for a read index on behalf of its read {@code context}. */
  public record ConfirmRead(String from, long context) implements Command, QuorumWire {}

  /** The leader's answer: reads of {@code context} may go once {@code index} is applied; -1 = refused. */
  public record ReadConfirmed(long context, long index) implements Command, QuorumWire {}

  enum Tick implements Command { INSTANCE }

  enum ProcessReady implements Command { INSTANCE }

  /** The leader of {@code term} refused a connection: its process is gone ({@link LeaderProbe}). Local only. */
  record LeaderGone(String leader, long term) implements Command {}

  public sealed interface Reply extends QuorumWire permits Result, NotLeader {}

  /** @param index the applied entry (proposal) or the read index the answer reflects (read) */
  public record Result(long index, byte[] value) implements Reply {}

  /** This member cannot serve the request; {@code leader} is the one it knows of, or null. */
  public record NotLeader(String leader) implements Reply {}

  /**
   * The member, restarted after any failure (crash-only, in the process): the new incarnation reads its log and
   * state machine again from storage, as after a restart of the JVM, so whatever the failure left half done in
   * memory is gone, and nothing durable is. Clients waiting on the old incarnation time out and retry in their
   * sessions. Without this a member whose actor stopped stayed up and useless: 503 to everything, and one vote
   * short of a majority for the others (two such members stopped a quorum for good).
   */
  public static Behavior<Command> create(QuorumSettings settings, DurableLog log, StateMachine machine) {
    AtomicBoolean started = new AtomicBoolean();
    Behavior<Command> member = Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      if (started.getAndSet(true)) {
        log.reload();
        machine.reload();
      }
      timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.tick());
      return new QuorumMember(ctx, settings, log, machine);
    }));
    return Behaviors.supervise(member).onFailure(Exception.class, SupervisorStrategy.restartWithBackoff(
        settings.restartBackoffMin(), settings.restartBackoffMax(), 0.2).withLoggingEnabled(true));
  }

  private final QuorumSettings settings;
  private final DurableLog log;
  private final StateMachine machine;
  private final Raft raft;
  private final PeerLinks peers;
  private final LeaderProbe leaderProbe;
  private final Waiters waiters = new Waiters();
  /** Proposals of this member's clients (and, leading, its own duties) waiting for the next ProcessReady. */
  private final List<Propose> buffered = new ArrayList<>();
  /** Leading: followers' batches waiting for the next ProcessReady, proposed with this member's own. */
  private final List<Forwarded> forwardedIn = new ArrayList<>();
  private final Forwarder forwarder;
  private boolean readyQueued;
  /**
   * Read contexts start at a random point, not at 0: the leader answers a ConfirmRead by path, so an
   * answer meant for this member's previous incarnation can reach this one, and must not match a read of
   * its own with a read index from before that read began.
   */
  private long lastReadContext = java.util.concurrent.ThreadLocalRandom.current().nextLong(Long.MAX_VALUE / 2);
  private String knownLeader;
  private boolean leading;

  private QuorumMember(ActorContext<Command> ctx, QuorumSettings settings, DurableLog log, StateMachine machine) {
    super(ctx);
    this.settings = settings;
    this.log = log;
    this.machine = machine;
    this.raft = new Raft(settings.raftConfig(), new Random(), restore(log.load(), machine));
    raft.imageSource(this::image);
    this.peers = new PeerLinks(ctx.getSystem(), settings);
    this.forwarder = new Forwarder(settings.maxAppendBytes());
    this.leaderProbe = new LeaderProbe(settings);
    ctx.getLog().info("quorum member {} started at term {}, applied index {}, peers {}", settings.self(),
        raft.term(), machine.appliedIndex(), settings.peers().keySet());
  }

  /**
   * Brings the state machine up to the saved snapshot and tells the core what
   * it already reflects, so only later committed entries are applied again.
   *
   * <p>TODO(issue 4, refuse to start): a member whose storage is empty but that
   * its peers know (it voted or held entries before) could vote twice in one
   * term. Design: the store writes a {@code member-id} marker beside the data
   * when first created and the launcher records in {@code cluster.json} which
   * members have started once; an empty store for a member marked as started
   * fails here with "data directory of cp-N is missing; restore it or replace the
   * member". The LevelDB store refuses unreadable or corrupt directories itself.
   */
  private static PersistedState restore(PersistedState saved, StateMachine machine) {
    Snapshot snapshot = saved.snapshot();
    if (machine.appliedIndex() < snapshot.index()) {
      if (!snapshot.hasImage()) {
        throw new IllegalStateException("the log was compacted to index " + snapshot.index() + ", but the state"
            + " machine has applied only " + machine.appliedIndex() + "; the quorum storage is inconsistent: restore"
            + " the member's data directory or replace the member");
      }
      machine.restore(snapshot);
    }
    HardState hard = saved.hardState();
    long commit = Math.max(hard.commit(), snapshot.index());
    long lastIndex = snapshot.index() + saved.entries().size();
    if (machine.appliedIndex() > commit) {
      if (machine.appliedIndex() > lastIndex) {
        throw new IllegalStateException("the state machine has applied index " + machine.appliedIndex()
            + " but the log ends at " + lastIndex + "; the quorum storage is inconsistent");
      }
      // The log saves a commit index that moved alone without fsync, and the state machine is another
      // store: after a power loss its applied index may be the later of the two. Only committed entries
      // are ever applied, and they are in the log, so the commit index is at least that.
      hard = new HardState(hard.term(), hard.vote(), machine.appliedIndex());
    }
    return new PersistedState(hard, snapshot, saved.entries(), machine.appliedIndex());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(FromPeer.class, this::onPeer)
        .onMessage(Propose.class, this::onPropose)
        .onMessage(Read.class, this::onRead)
        .onMessage(Renew.class, this::onRenew)
        .onMessage(ConfirmRead.class, this::onConfirmRead)
        .onMessage(ReadConfirmed.class, this::onReadConfirmed)
        .onMessage(Forwarded.class, this::onForwarded)
        .onMessage(Placed.class, p -> {
          forwarder.placed(p, waiters, machine.appliedIndex());
          return this;
        })
        .onMessage(GetStatus.class, this::onStatus)
        .onMessage(WhoLeads.class, w -> {
          w.replyTo().tell(new Leadership(raft.leader(), raft.term()));
          return this;
        })
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessageEquals(ProcessReady.INSTANCE, this::onProcessReady)
        .onMessage(LeaderGone.class, this::onLeaderGone)
        .build();
  }

  private Behavior<Command> onPeer(FromPeer p) {
    peers.heard(p.message().from());
    raft.step(p.message());
    return queueReady();
  }

  private Behavior<Command> onTick() {
    raft.tick();
    leaderDuties();
    forwarder.expire(System.nanoTime(), forwardPatienceNanos(), raft.leader());
    if (raft.role() == Role.FOLLOWER) {
      ActorRef<Command> self = getContext().getSelf();
      leaderProbe.tick(raft.leader(), raft.term(), raft.electionElapsed(),
          (leader, term) -> self.tell(new LeaderGone(leader, term)));
    }
    return queueReady();
  }

  private Behavior<Command> onLeaderGone(LeaderGone g) {
    if (g.term() == raft.term() && g.leader().equals(raft.leader())) {
      getContext().getLog().info("quorum member {}: leader {} refused a connection, so its process is gone: "
          + "campaigning without waiting out the election timeout", settings.self(), g.leader());
      raft.leaderUnreachable(g.leader());
    }
    return queueReady();
  }

  /**
   * A leader places a batch within a round trip; one unplaced after ten election timeouts was lost with a dropped
   * connection, and is forgotten. Its clients have retried on their own time-out by then: forgetting it sooner
   * would only add retries when a loaded machine is merely slow.
   */
  private long forwardPatienceNanos() {
    return settings.tick().toNanos() * settings.electionTicks() * 10;
  }

  /** The leader's own proposals (lease expiry, compaction); nobody waits for their answers. */
  private void leaderDuties() {
    boolean newLeader = !leading && raft.role() == Role.LEADER;
    leading = raft.role() == Role.LEADER;
    if (leading) {
      ActorRef<Reply> nobody = getContext().getSystem().ignoreRef();
      // one hop used up: if leadership is lost first, they are dropped, not forwarded (expiry is the leader's call)
      machine.leaderProposals(newLeader).forEach(c -> buffered.add(new Propose(c, nobody, 1)));
    }
  }

  /** Buffered either way: ProcessReady proposes the burst if this member leads, or forwards it as one batch. */
  private Behavior<Command> onPropose(Propose p) {
    buffered.add(p);
    return queueReady();
  }

  private Behavior<Command> onForwarded(Forwarded f) {
    if (raft.role() == Role.LEADER) {
      forwardedIn.add(f);
      return queueReady();
    }
    peers.placed(f.from(), new Placed(f.incarnation(), f.firstId(), f.commands().size(), 0, 0, raft.leader()));
    return this;
  }

  private Behavior<Command> onRead(Read r) {
    long context = ++lastReadContext;
    String leader = raft.leader();
    if (raft.role() == Role.LEADER) {
      if (raft.readIndex(context)) {
        waiters.reading(context, r.query(), r.replyTo());
      } else {
        // a new leader has not committed an entry of its term yet (§6.4, step 1): the client retries shortly
        r.replyTo().tell(new NotLeader(leader));
      }
    } else if (leader != null) {
      waiters.reading(context, r.query(), r.replyTo());
      peers.member(leader).tell(new ConfirmRead(settings.self(), context));
    } else {
      r.replyTo().tell(new NotLeader(null));
    }
    return queueReady();
  }

  /**
   * Confirmed like a read, so a deposed leader that has not noticed yet cannot renew: a renewal it acknowledged
   * would outlast the full TTL the new leader gave every lease when it took over, which began before the renewal.
   */
  private Behavior<Command> onRenew(Renew r) {
    String leader = raft.leader();
    if (raft.role() == Role.LEADER) {
      long context = ++lastReadContext;
      if (raft.readIndex(context)) {
        waiters.renewing(context, r.request(), r.replyTo());
        return queueReady();
      }
      r.replyTo().tell(new NotLeader(leader));
    } else if (leader != null && r.hops() == 0) {
      peers.member(leader).tell(new Renew(r.request(), r.replyTo(), 1));
    } else {
      r.replyTo().tell(new NotLeader(leader));
    }
    return this;
  }

  private Behavior<Command> onConfirmRead(ConfirmRead c) {
    long context = ++lastReadContext;
    if (raft.role() == Role.LEADER && raft.readIndex(context)) {
      waiters.readingFor(context, c.from(), c.context());
    } else {
      peers.member(c.from()).tell(new ReadConfirmed(c.context(), -1));
    }
    return queueReady();
  }

  private Behavior<Command> onReadConfirmed(ReadConfirmed c) {
    if (c.index() < 0) {
      waiters.refuseRead(c.context(), raft.leader());
    } else {
      waiters.confirmed(List.of(new ReadState(c.context(), c.index())), this::answerRemoteRead);
      waiters.answerReads(machine);
    }
    return this;
  }

  private void answerRemoteRead(String member, long context, long index) {
    peers.member(member).tell(new ReadConfirmed(context, index));
  }

  /**
   * To the leader this member knows, once, in batches: views that disagree for a moment must not bounce a
   * proposal forever, so one that was forwarded to us already ({@code hops} > 0) is refused instead.
   */
  private void forwardBuffered() {
    String leader = raft.leader();
    List<Propose> forward = new ArrayList<>(buffered.size());
    for (Propose p : buffered) {
      if (leader != null && !leader.equals(settings.self()) && p.hops() == 0) {
        forward.add(p);
      } else {
        p.replyTo().tell(new NotLeader(leader));
      }
    }
    if (!forward.isEmpty()) {
      forwarder.batches(settings.self(), forward, System.nanoTime()).forEach(f -> peers.forward(leader, f));
    }
  }

  private void refuseForwardedIn() {
    for (Forwarded f : forwardedIn) {
      peers.placed(f.from(), new Placed(f.incarnation(), f.firstId(), f.commands().size(), 0, 0, raft.leader()));
    }
  }

  /** The digest covers the whole state: compute it once per applied index, not on every status poll. */
  private String stateHash() {
    long applied = machine.appliedIndex();
    if (hashedAt != applied || hash == null) {
      hash = machine.stateHash();
      hashedAt = applied;
    }
    return hash;
  }

  private long hashedAt = -1;
  private String hash;

  private Behavior<Command> onStatus(GetStatus g) {
    Map<String, Long> matches = raft.matchIndexes();
    Map<String, String> replication = raft.replication();
    long within = settings.reachableWithin().toNanos();
    List<QuorumStatus.MemberStatus> members = new ArrayList<>();
    for (String name : settings.peers().keySet()) {
      boolean self = name.equals(settings.self());
      members.add(new QuorumStatus.MemberStatus(name, self || peers.reachable(name, within),
          self ? Long.valueOf(raft.lastIndex()) : matches.get(name), replication.get(name)));
    }
    g.replyTo().tell(new QuorumStatus(settings.self(), raft.leader(), raft.term(), raft.committed(),
        machine.appliedIndex(), stateHash(), members, raft.lastIndex(), raft.snapshotIndex()));
    return this;
  }

  private Behavior<Command> queueReady() {
    if (!readyQueued && (raft.hasReady() || !buffered.isEmpty() || !forwardedIn.isEmpty())) {
      readyQueued = true;
      getContext().getSelf().tell(ProcessReady.INSTANCE);
    }
    return this;
  }

  private Behavior<Command> onProcessReady() {
    readyQueued = false;
    noticeLeaderChange(); // first: a burst forwarded below goes to the new leader and must not be abandoned
    proposeBuffered();
    if (raft.hasReady()) {
      carryOut(raft.ready());
    }
    maybeCompact();
    return queueReady();
  }

  /**
   * Leading: this member's proposals and the followers' batches go into the log in one {@code propose},
   * and each follower learns where its batch went ({@link Placed}, before the entries are sent). Following:
   * the burst is forwarded to the leader.
   */
  private void proposeBuffered() {
    if (buffered.isEmpty() && forwardedIn.isEmpty()) {
      return;
    }
    if (raft.role() != Role.LEADER) {
      forwardBuffered();
      refuseForwardedIn();
    } else {
      long now = System.currentTimeMillis();
      List<byte[]> commands = new ArrayList<>();
      buffered.forEach(p -> commands.add(machine.stamp(p.command(), now)));
      forwardedIn.forEach(f -> f.commands().forEach(c -> commands.add(machine.stamp(c, now))));
      if (raft.propose(commands)) {
        long index = raft.lastIndex() - commands.size() + 1;
        for (Propose p : buffered) {
          waiters.proposed(index++, raft.term(), p.replyTo());
        }
        for (Forwarded f : forwardedIn) {
          peers.placed(f.from(), new Placed(f.incarnation(), f.firstId(), f.commands().size(), index, raft.term(),
              settings.self()));
          index += f.commands().size();
        }
      } else { // handing leadership over (§3.10): the clients retry with the next leader
        buffered.forEach(p -> p.replyTo().tell(new NotLeader(raft.leader())));
        refuseForwardedIn();
      }
    }
    buffered.clear();
    forwardedIn.clear();
  }

  /** One Ready, in the order {@link Ready} prescribes. */
  private void carryOut(Ready rd) {
    rd.sendableBeforePersist().forEach(peers::send); // a leader's appends: followers write while it writes
    if (rd.snapshot() != null || !rd.entries().isEmpty() || rd.hardState() != null) {
      log.save(rd.snapshot(), rd.entries(), rd.hardState()); // durable before any message promises it (Fig. 2)
    }
    rd.sendAfterPersist().forEach(peers::send);
    if (rd.snapshot() != null) {
      machine.restore(rd.snapshot());
      getContext().getLog().info("installed the leader's snapshot at index {} ({} bytes)", rd.snapshot().index(),
          rd.snapshot().data().length);
      waiters.snapshotInstalled(rd.snapshot().index(), raft.leader());
    }
    apply(rd.committedEntries());
    waiters.confirmed(rd.readStates(), this::answerRemoteRead);
    waiters.answerReads(machine);
    raft.advance(rd);
  }

  private void apply(List<Entry> committed) {
    List<Entry> fresh = committed.stream().filter(e -> e.index() > machine.appliedIndex()).toList();
    if (fresh.isEmpty()) {
      return;
    }
    List<byte[]> results = machine.applyBatch(fresh);
    for (int i = 0; i < fresh.size(); i++) {
      waiters.applied(fresh.get(i), results.get(i), raft.leader());
    }
  }

  /**
   * Log compaction (§7): every snapshot-every applied entries, the log up to the applied index goes. A durable state
   * machine is synced and the log keeps only a marker: an image of the whole state (tens of megabytes at ten thousand
   * pods, made, written and held every time) is made only when a follower needs one ({@link #image}).
   */
  private void maybeCompact() {
    long applied = machine.appliedIndex();
    if (applied - raft.snapshotIndex() < settings.snapshotEvery() || applied > raft.applied()) {
      return;
    }
    if (machine.durable()) {
      machine.sync();
      log.save(Snapshot.marker(applied, raft.logTerm(applied)), List.of(), null);
      raft.compact(applied, null);
    } else {
      byte[] image = machine.snapshot();
      log.save(new Snapshot(applied, raft.logTerm(applied), image), List.of(), null);
      raft.compact(applied, image);
    }
  }

  /** An image of the state machine as of its applied index, for a follower the compacted log cannot catch up. */
  private Snapshot image() {
    long applied = machine.appliedIndex();
    long started = System.nanoTime();
    Snapshot image = new Snapshot(applied, raft.logTerm(applied), machine.snapshot());
    getContext().getLog().info("quorum member {}: made an image at index {} for a follower ({} bytes, {} ms)",
        settings.self(), applied, image.data().length, (System.nanoTime() - started) / 1_000_000);
    return image;
  }

  private void noticeLeaderChange() {
    String leader = raft.leader();
    if (java.util.Objects.equals(leader, knownLeader)) {
      return;
    }
    getContext().getLog().info("quorum member {}: leader is now {} (term {})", settings.self(), leader, raft.term());
    knownLeader = leader;
    forwarder.abandon(leader);
    if (!settings.self().equals(leader)) { // followers too: their leader's confirmations will not come
      waiters.abandonReads(leader, (member, context, index) -> peers.member(member)
          .tell(new ReadConfirmed(context, -1)));
    }
  }
}
