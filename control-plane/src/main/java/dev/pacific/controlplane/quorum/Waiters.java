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

/** The clients a member owes an answer: proposals until applied, reads until linearizable. */
final class Waiters {

  private record Proposal(long term, ActorRef<Reply> replyTo) {}

  private record PendingRead(byte[] query, ActorRef<Reply> replyTo) {}

  private final TreeMap<Long, Proposal> proposals = new TreeMap<>();
  private final Map<Long, PendingRead> confirming = new HashMap<>();
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
    confirming.put(context, new PendingRead(query, replyTo));
  }

  /** Leadership confirmed for these reads (dissertation §6.4): they wait for the apply to reach the index. */
  void confirmed(List<ReadState> states) {
    for (ReadState s : states) {
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
        r.replyTo().tell(new Result(ready.getKey(), machine.query(r.query())));
      }
    }
  }

  /** This member lost leadership: reads it had not confirmed never will be. */
  void abandonReads(String leader) {
    confirming.values().forEach(r -> r.replyTo().tell(new NotLeader(leader)));
    confirming.clear();
  }
}
