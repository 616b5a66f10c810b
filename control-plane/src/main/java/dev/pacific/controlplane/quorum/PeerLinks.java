package dev.pacific.controlplane.quorum;

import dev.pacific.controlplane.quorum.raft.Message;
import dev.pacific.controlplane.quorum.raft.Message.AppendEntries;
import dev.pacific.controlplane.quorum.raft.Message.InstallSnapshot;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * How one member reaches the others: by the names and addresses in
 * configuration, never by cluster membership, so a restarted member is the same
 * Raft peer. Paths are resolved to refs without a round trip (Artery delivers by
 * path to whichever incarnation runs there); entries and snapshot chunks go to
 * {@code /user/quorum-bulk}, a large-message destination, so heartbeats and
 * votes never queue behind them; so do large batches of forwarded proposals and
 * the leader's {@link QuorumMember.Placed} answers to them.
 */
final class PeerLinks {

  static final String MEMBER = "quorum";
  static final String BULK = "quorum-bulk";

  private final Map<String, ActorRef<QuorumMember.Command>> members = new HashMap<>();
  /** A batch of forwarded proposals this big goes on the large-message stream (the ordinary frame is 256 KiB). */
  private static final int LARGE_PROPOSAL_BYTES = 64 * 1024;

  private final Map<String, ActorRef<QuorumMember.Command>> bulk = new HashMap<>();
  private final Map<String, Long> lastHeardNanos = new HashMap<>();

  PeerLinks(ActorSystem<?> system, QuorumSettings settings) {
    ActorRefResolver resolver = ActorRefResolver.get(system);
    settings.peers().forEach((name, hostPort) -> {
      if (!name.equals(settings.self())) {
        String root = "pekko://" + system.name() + "@" + hostPort + "/user/";
        members.put(name, resolver.resolveActorRef(root + MEMBER));
        bulk.put(name, resolver.resolveActorRef(root + BULK));
      }
    });
  }

  void send(Message m) {
    boolean large = (m instanceof AppendEntries a && !a.entries().isEmpty()) || m instanceof InstallSnapshot;
    if (large) {
      bulk.get(m.to()).tell(new QuorumMember.FromPeer(m));
    } else {
      members.get(m.to()).tell(new QuorumMember.FromPeer(m));
    }
  }

  void forward(String leader, QuorumMember.Forwarded f) {
    long bytes = 0;
    for (byte[] c : f.commands()) {
      bytes += c.length;
    }
    (bytes >= LARGE_PROPOSAL_BYTES ? bulk : members).get(leader).tell(f);
  }

  /** On the bulk stream, where the entries it announces follow it: the follower learns of them first. */
  void placed(String member, QuorumMember.Placed p) {
    bulk.get(member).tell(p);
  }

  ActorRef<QuorumMember.Command> member(String name) {
    return members.get(name);
  }

  void heard(String name) {
    lastHeardNanos.put(name, System.nanoTime());
  }

  boolean reachable(String name, long withinNanos) {
    Long heard = lastHeardNanos.get(name);
    return heard != null && System.nanoTime() - heard <= withinNanos;
  }
}
