package dev.pacific.controlplane.lb;

import dev.pacific.membership.MemberCard;
import dev.pacific.membership.MemberDirectory;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * Tells the balancer which API servers exist: control-plane members that are Up and reachable
 * in the cluster, at the HTTP port their member card names. Unreachable members leave the
 * rotation as soon as the failure detector says so, before any probe has to fail.
 */
public final class BackendDiscovery {

  /** What discovery listens to: the directory and cluster membership. */
  public sealed interface Event {}

  private record MembersChanged(MemberDirectory.Members members) implements Event {}

  private record ClusterChanged(ClusterEvent.ClusterDomainEvent event) implements Event {}

  private BackendDiscovery() {}

  public static Behavior<Event> create(
      ActorRef<MemberDirectory.Command> directory, ActorRef<LoadBalancer.Command> balancer) {
    return Behaviors.<Event>setup(ctx -> {
      Cluster cluster = Cluster.get(ctx.getSystem());
      cluster.subscriptions().tell(Subscribe.create(
          ctx.messageAdapter(ClusterEvent.ClusterDomainEvent.class, ClusterChanged::new),
          ClusterEvent.ClusterDomainEvent.class));
      directory.tell(new MemberDirectory.Subscribe(ctx.messageAdapter(MemberDirectory.Members.class, MembersChanged::new)));
      var latest = new MemberDirectory.Members[] {new MemberDirectory.Members(Map.of())};
      return Behaviors.receive(Event.class)
          .onMessage(MembersChanged.class, m -> {
            latest[0] = m.members();
            balancer.tell(new LoadBalancer.SetBackends(backends(cluster, latest[0])));
            return Behaviors.same();
          })
          .onMessage(ClusterChanged.class, m -> {
            balancer.tell(new LoadBalancer.SetBackends(backends(cluster, latest[0])));
            return Behaviors.same();
          })
          .build();
    });
  }

  static Set<InetSocketAddress> backends(Cluster cluster, MemberDirectory.Members members) {
    var state = cluster.state();
    Set<InetSocketAddress> result = new HashSet<>();
    for (MemberCard card : members.withRole(MemberCard.CONTROL_PLANE)) {
      for (Member m : state.getMembers()) {
        boolean same = m.address().getHost().orElse("").equals(card.host())
            && m.address().getPort().orElse(-1) == card.remotingPort();
        if (same && m.status() == MemberStatus.up() && !state.getUnreachable().contains(m)) {
          result.add(new InetSocketAddress(card.host(), card.httpPort()));
        }
      }
    }
    return result;
  }
}
