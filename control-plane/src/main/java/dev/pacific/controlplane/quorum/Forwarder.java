package dev.pacific.controlplane.quorum;

import dev.pacific.controlplane.quorum.QuorumMember.Forwarded;
import dev.pacific.controlplane.quorum.QuorumMember.NotLeader;
import dev.pacific.controlplane.quorum.QuorumMember.Placed;
import dev.pacific.controlplane.quorum.QuorumMember.Propose;
import dev.pacific.controlplane.quorum.QuorumMember.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A follower's side of forwarding its own clients' proposals: they go to the leader in batches
 * ({@link Forwarded}, one message per mailbox burst rather than one per request), the leader says
 * where it put them ({@link Placed}), and the follower answers each client itself when it applies
 * that index — so no result and no reply ref ever crosses the wire (as etcd's followers forward
 * proposals in batches, {@code MsgProp}, and answer their own clients on apply).
 *
 * <p>Proposals are numbered per member incarnation: {@link #incarnation} is random, so a
 * {@link Placed} meant for an earlier run of this member (delivered by path) matches nothing.
 */
final class Forwarder {

  private record Pending(ActorRef<Reply> replyTo, long sentNanos) {}

  private final long incarnation = ThreadLocalRandom.current().nextLong();
  private final long maxBatchBytes;
  /** Forwarded and not yet placed, by id; ids grow with time, so the first is the oldest. */
  private final TreeMap<Long, Pending> pending = new TreeMap<>();
  private long nextId = 1;

  /** @param maxBatchBytes command bytes per batch (one bigger command still goes, alone) */
  Forwarder(long maxBatchBytes) {
    this.maxBatchBytes = maxBatchBytes;
  }

  /** Numbers {@code proposals} and cuts them into batches for the leader, remembering whom to answer. */
  List<Forwarded> batches(String self, List<Propose> proposals, long nowNanos) {
    List<Forwarded> out = new ArrayList<>();
    List<byte[]> commands = new ArrayList<>();
    long firstId = nextId;
    long bytes = 0;
    for (Propose p : proposals) {
      if (!commands.isEmpty() && bytes + p.command().length > maxBatchBytes) {
        out.add(new Forwarded(self, incarnation, firstId, commands));
        commands = new ArrayList<>();
        firstId = nextId;
        bytes = 0;
      }
      pending.put(nextId++, new Pending(p.replyTo(), nowNanos));
      commands.add(p.command());
      bytes += p.command().length;
    }
    if (!commands.isEmpty()) {
      out.add(new Forwarded(self, incarnation, firstId, commands));
    }
    return out;
  }

  /**
   * The leader's answer. Placed proposals wait for their index to apply here, with the leader's
   * term: if another leader overwrote the entry, the terms differ and the client retries (§5.3).
   * An index already applied cannot be answered from here (its result is gone): the client retries,
   * and its session returns the first result without applying twice (dissertation §6.3).
   */
  void placed(Placed p, Waiters waiters, long appliedIndex) {
    if (p.incarnation() != incarnation) {
      return;
    }
    for (int i = 0; i < p.count(); i++) {
      Pending waiting = pending.remove(p.firstId() + i);
      if (waiting == null) {
        continue; // answered already (leader change, time-out)
      }
      long index = p.firstIndex() + i;
      if (p.firstIndex() <= 0 || index <= appliedIndex) {
        waiting.replyTo().tell(new NotLeader(p.leader()));
      } else {
        waiters.proposed(index, p.term(), waiting.replyTo());
      }
    }
  }

  /** The leader changed: what the old one did not place, it never will; those clients retry now. */
  void abandon(String leader) {
    pending.values().forEach(w -> w.replyTo().tell(new NotLeader(leader)));
    pending.clear();
  }

  /** A batch or its answer was lost (a connection dropped): clients waiting longer than this retry. */
  void expire(long nowNanos, long afterNanos, String leader) {
    while (!pending.isEmpty() && nowNanos - pending.firstEntry().getValue().sentNanos() > afterNanos) {
      Map.Entry<Long, Pending> oldest = pending.pollFirstEntry();
      oldest.getValue().replyTo().tell(new NotLeader(leader));
    }
  }

  int pendingCount() {
    return pending.size();
  }
}
