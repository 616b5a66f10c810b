package dev.pacific.controlplane.api;

import dev.pacific.membership.MemberCard;
import java.util.Optional;
import org.apache.pekko.cluster.ClusterEvent.CurrentClusterState;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Readiness before the quorum exists: this member is Up and sees a majority of the configured
 * control-plane members Up and reachable — the same majority the Split Brain Resolver keeps.
 */
public final class ControlPlaneMajority implements Readiness {

  private final Cluster cluster;
  private final int configuredMembers;

  public ControlPlaneMajority(Cluster cluster, int configuredMembers) {
    this.cluster = cluster;
    this.configuredMembers = configuredMembers;
  }

  @Override
  public Optional<String> notReadyBecause() {
    if (cluster.selfMember().status() != MemberStatus.up()) {
      return Optional.of("this member is " + cluster.selfMember().status() + " in the cluster, not Up");
    }
    CurrentClusterState state = cluster.state();
    int up = 0;
    for (Member m : state.getMembers()) {
      if (m.hasRole(MemberCard.CONTROL_PLANE) && m.status() == MemberStatus.up() && !state.getUnreachable().contains(m)) {
        up++;
      }
    }
    int majority = configuredMembers / 2 + 1;
    if (up < majority) {
      return Optional.of("sees " + up + " of " + configuredMembers + " control-plane members Up and reachable; needs "
          + majority);
    }
    return Optional.empty();
  }
}
