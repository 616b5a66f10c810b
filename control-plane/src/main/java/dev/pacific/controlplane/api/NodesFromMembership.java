package dev.pacific.controlplane.api;

import dev.pacific.api.Node;
import dev.pacific.api.NodeAddress;
import dev.pacific.api.NodeCondition;
import dev.pacific.api.ObjectMeta;
import dev.pacific.membership.MemberCard;
import dev.pacific.membership.MemberDirectory.Members;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.pekko.cluster.ClusterEvent.CurrentClusterState;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Nodes as seen from Pekko cluster membership: one Node per host that ever published its card,
 * {@code Ready=True} while its member is Up and reachable, {@code False} otherwise (with the
 * reason). A stop-gap until hosts register through the quorum, where Node objects will live.
 */
public final class NodesFromMembership {

  private record Observed(String status, String reason, Instant since) {}

  private final Cluster cluster;
  private final Supplier<Members> members;
  private final Clock clock;
  /** When each node's Ready status was first seen as it is now (lastTransitionTime). */
  private final Map<String, Observed> transitions = new ConcurrentHashMap<>();

  public NodesFromMembership(Cluster cluster, Supplier<Members> members, Clock clock) {
    this.cluster = cluster;
    this.members = members;
    this.clock = clock;
  }

  public List<Node> list() {
    CurrentClusterState state = cluster.state();
    List<Node> nodes = new ArrayList<>();
    for (MemberCard card : members.get().withRole(MemberCard.HOST)) {
      nodes.add(toNode(card, state));
    }
    return nodes;
  }

  public Optional<Node> get(String name) {
    MemberCard card = members.get().byName().get(name);
    if (card == null || !card.role().equals(MemberCard.HOST)) {
      return Optional.empty();
    }
    return Optional.of(toNode(card, cluster.state()));
  }

  private Node toNode(MemberCard card, CurrentClusterState state) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Ready r = readiness(card, state);
    Observed seen = transitions.compute(card.name(), (k, old) ->
        old != null && old.status().equals(r.status()) && old.reason().equals(r.reason())
            ? old : new Observed(r.status(), r.reason(), now));
    NodeCondition ready = new NodeCondition("Ready", r.status(), now.toString(), seen.since().toString(),
        r.reason(), r.message());
    Map<String, String> labels = new java.util.TreeMap<>(card.labels());
    labels.putIfAbsent("kubernetes.io/hostname", card.name());
    labels.putIfAbsent("kubernetes.io/os", "linux");
    ObjectMeta meta = new ObjectMeta(card.name(), null, uid(card), null,
        Instant.parse(card.startedAt()).truncatedTo(ChronoUnit.SECONDS).toString(), labels, Map.of());
    Map<String, String> capacity = new java.util.TreeMap<>(card.capacity());
    Node.Status status = new Node.Status(capacity, capacity, List.of(ready),
        List.of(new NodeAddress("InternalIP", card.host()), new NodeAddress("Hostname", card.name())),
        new Node.DaemonEndpoints(new Node.KubeletEndpoint(card.httpPort())));
    return new Node(meta, new Node.Spec(false), status);
  }

  /** The Ready condition's status, reason and message. */
  private record Ready(String status, String reason, String message) {}

  /** The Ready condition for the member behind {@code card}. */
  private static Ready readiness(MemberCard card, CurrentClusterState state) {
    Member member = null;
    for (Member m : state.getMembers()) {
      if (m.address().getHost().orElse("").equals(card.host())
          && m.address().getPort().orElse(-1) == card.remotingPort()) {
        member = m;
      }
    }
    if (member == null) {
      return new Ready("False", "MemberRemoved", "the host's member left the cluster or was downed");
    }
    if (state.getUnreachable().contains(member)) {
      return new Ready("False", "MemberUnreachable", "the control plane cannot reach the host's member");
    }
    if (member.status() != MemberStatus.up() && member.status() != MemberStatus.weaklyUp()) {
      return new Ready("False", "Member" + member.status(), "the host's member is " + member.status());
    }
    return new Ready("True", "MemberUp", "the host's member is Up and reachable");
  }

  /** Stable per incarnation of a host: a host restarted is a new Node object, as with a re-registered kubelet. */
  private static String uid(MemberCard card) {
    return UUID.nameUUIDFromBytes((card.name() + "@" + card.startedAt()).getBytes(StandardCharsets.UTF_8)).toString();
  }
}
