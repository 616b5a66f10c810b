package dev.pacific.deploy.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pacific.deploy.bench.QuorumView;
import dev.pacific.deploy.launcher.ClusterFile;
import dev.pacific.deploy.launcher.Launcher;
import dev.pacific.deploy.launcher.MemberSpec;
import dev.pacific.deploy.launcher.Processes;
import dev.pacific.membership.MemberCard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Heals the cluster after a fault, as an operator would before touching the next member: starts
 * every member that is not running (killed, or downed by the Split Brain Resolver after a long
 * pause and exited), then waits until the quorum has a leader that every control-plane member
 * has caught up with and every control-plane member sees every member Up and reachable (a member
 * still joining is not yet a full member of either the Raft quorum or the Pekko cluster:
 * docs/adr/0001). Returns why it is not settled, or empty once it is.
 */
final class Settle {

  private final Launcher launcher;
  private final Client probe = new Client("http://127.0.0.1", Duration.ofSeconds(2));
  private final Consumer<String> restarted;

  /** {@code restarted} is told the name of each member found dead and started again. */
  Settle(Launcher launcher, Consumer<String> restarted) {
    this.launcher = launcher;
    this.restarted = restarted;
  }

  Optional<String> await(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    long[] target = {-1};
    String why = "not asked yet";
    while (System.nanoTime() < deadline) {
      startDead();
      ClusterFile cluster = launcher.cluster().orElseThrow();
      Optional<String> problem = caughtUp(cluster, target).or(() -> membershipProblem(cluster));
      if (problem.isEmpty()) {
        return Optional.empty();
      }
      why = problem.get();
      Thread.sleep(250);
    }
    return Optional.of(why);
  }

  /** Starts every member whose process is gone. */
  void startDead() {
    for (MemberSpec m : launcher.cluster().orElseThrow().nodes()) {
      if (!Processes.alive(m)) {
        try {
          launcher.start(m.name(), Duration.ofSeconds(120));
          restarted.accept(m.name());
        } catch (Exception e) {
          restarted.accept(m.name() + " (start failed: " + e.getMessage() + ")");
        }
      }
    }
  }

  private Optional<String> caughtUp(ClusterFile cluster, long[] target) {
    Optional<String> leader = QuorumView.leader(cluster);
    if (leader.isEmpty()) {
      return Optional.of("no leader");
    }
    var views = QuorumView.all(cluster);
    if (views.size() < cluster.withRole(MemberCard.CONTROL_PLANE).size()) {
      return Optional.of("only " + views.keySet() + " answer /admin/v1/quorum");
    }
    QuorumView.Member l = views.get(leader.get());
    if (l == null) {
      return Optional.of("the leader " + leader.get() + " does not answer");
    }
    if (target[0] < 0) {
      target[0] = l.commitIndex();
    }
    for (QuorumView.Member m : views.values()) {
      if (m.appliedIndex() < target[0]) {
        return Optional.of(m.self() + " applied " + m.appliedIndex() + " of the " + target[0] + " the leader "
            + leader.get() + " had committed");
      }
    }
    return Optional.empty();
  }

  /** Empty when every control-plane member lists every member Up and none unreachable. */
  private Optional<String> membershipProblem(ClusterFile cluster) {
    for (MemberSpec cp : cluster.withRole(MemberCard.CONTROL_PLANE)) {
      Client.Answer a = probe.get(":" + cp.httpPort() + "/admin/v1/cluster");
      if (a == null || a.code() != 200) {
        return Optional.of(cp.name() + " does not answer /admin/v1/cluster");
      }
      if (!a.body().path("unreachable").isEmpty()) {
        return Optional.of(cp.name() + " sees unreachable members: " + a.body().path("unreachable"));
      }
      List<String> notUp = new ArrayList<>();
      for (MemberSpec m : cluster.nodes()) {
        boolean up = false;
        for (JsonNode member : a.body().path("members")) {
          up |= member.path("node").asText().endsWith(":" + m.remotingPort())
              && member.path("status").asText().equals("Up");
        }
        if (!up) {
          notUp.add(m.name());
        }
      }
      if (!notUp.isEmpty()) {
        return Optional.of(cp.name() + " does not see " + notUp + " Up");
      }
    }
    return Optional.empty();
  }
}
