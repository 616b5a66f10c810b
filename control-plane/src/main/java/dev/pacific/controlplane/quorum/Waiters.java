package dev.pacific.controlplane.quorum;

import dev.pacific.controlplane.quorum.QuorumMember.NotLeader;
import dev.pacific.controlplane.quorum.QuorumMember.Reply;
import dev.pacific.controlplane.quorum.QuorumMember.Result;
import dev.pacific.controlplane.quorum.raft.Entry;
import dev.pacific.controlplane.quorum.raft.ReadState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The clients a member owes an answer: proposals until applied, reads until linearizable, a leader's renewals until
 * its leadership is confirmed.
 */
final class Waiters {

  private record Proposal(long term, ActorRef<Reply> replyTo) {}

  /** @param renewal answered by {@link StateMachine#renew}, not {@link StateMachine#query} */
  private record PendingRead(byte[] query, ActorRef<Reply> replyTo, boolean renewal) {}

  /** A leader's read index taken for a follower's read. */
  private record RemoteRead(String member, long context) {}

  /** Where a leader sends a read index it confirmed for a follower. */
  @FunctionalInterface
  interface RemoteReads {
    void answer(String member, long context, long index);
  }

  private final TreeMap<Long, Proposal> proposals = new TreeMap<>();
  private final Map<Long, PendingRead> confirming = new HashMap<>();
  private final Map<Long, RemoteRead> confirmingForOthers = new HashMap<>();
  private final TreeMap<Long, List<PendingRead>> awaitingApply = new TreeMap<>();

  void proposed(long index, long term, ActorRef<Reply> replyTo) {
    proposals.put(index, new Proposal(term, replyTo));
  }

  /**
   * The entry at a proposal's index is applied. If its term differs, another
   * leader overwrote the proposal (§5.3): it was never applied, the client retries.
   */
  void applied(Entry e, byte[] result, String leader) {
    Proposal p = proposals.remove(e.index());
    if (p != null) {
      p.replyTo().tell(p.term() == e.term() ? new Result(e.index(), result) : new NotLeader(leader));
    }
  }

  /** A leader's snapshot replaced the log: whether those proposals applied is unknown here. */
  void snapshotInstalled(long index, String leader) {
    while (!proposals.isEmpty() && proposals.firstKey() <= index) {
      proposals.pollFirstEntry().getValue().replyTo().tell(new NotLeader(leader));
    }
  }

  void reading(long context, byte[] query, ActorRef<Reply> replyTo) {
    confirming.put(context, new PendingRead(query, replyTo, false));
  }

  /** A request only a leader answers ({@link QuorumMember.Renew}), confirmed as a read is. */
  void renewing(long context, byte[] request, ActorRef<Reply> replyTo) {
    confirming.put(context, new PendingRead(request, replyTo, true));
  }

  void readingFor(long context, String member, long memberContext) {
    confirmingForOthers.put(context, new RemoteRead(member, memberContext));
  }

  void refuseRead(long context, String leader) {
    PendingRead r = confirming.remove(context);
    if (r != null) {
      r.replyTo().tell(new NotLeader(leader));
    }
  }

  /**
   * Leadership confirmed for these reads (dissertation §6.4): local ones wait for
   * the apply to reach the index, a follower's learn the index and wait on its side.
   */
  void confirmed(List<ReadState> states, RemoteReads remote) {
    for (ReadState s : states) {
      RemoteRead other = confirmingForOthers.remove(s.context());
      if (other != null) {
        remote.answer(other.member(), other.context(), s.index());
      }
      PendingRead r = confirming.remove(s.context());
      if (r != null) {
        awaitingApply.computeIfAbsent(s.index(), i -> new ArrayList<>()).add(r);
      }
    }
  }

  void answerReads(StateMachine machine) {
    while (!awaitingApply.isEmpty() && awaitingApply.firstKey() <= machine.appliedIndex()) {
      var ready = awaitingApply.pollFirstEntry();
      for (PendingRead r : ready.getValue()) {
        byte[] answer = r.renewal() ? machine.renew(r.query()) : machine.query(r.query());
        r.replyTo().tell(new Result(ready.getKey(), answer));
      }
    }
  }

  /** The leader changed: reads not yet confirmed never will be; their clients retry. */
  void abandonReads(String leader, RemoteReads remote) {
    confirming.values().forEach(r -> r.replyTo().tell(new NotLeader(leader)));
    confirming.clear();
    confirmingForOthers.values().forEach(r -> remote.answer(r.member(), r.context(), -1));
    confirmingForOthers.clear();
  }
}
