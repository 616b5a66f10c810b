package dev.pacific.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pacific.deploy.bench.QuorumView;
import dev.pacific.deploy.launcher.ClusterFile;
import dev.pacific.deploy.launcher.MemberSpec;
import dev.pacific.membership.MemberCard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an operator checks after restarting a control-plane member and before touching the next
 * one: the member has caught up with the leader's log, and every control-plane member sees every
 * member of the cluster Up and reachable. Killing the next member before that is not a failure
 * Pacific promises to survive: a member still joining, or still installing a snapshot, is not yet
 * a full member of either the Raft quorum or the Pekko cluster (see docs/adr/0001).
 */
final class Settled {

  private Settled() {}

  /** Waits until {@code name} has caught up and the membership is healthy; returns how long it took in ms. */
  static long await(ClusterFile cluster, String name, Duration limit) throws InterruptedException {
    long[] target = {-1};
    String[] why = {"not asked yet"};
    try {
      return Http.await(limit, name + " caught up with the leader and every member Up and reachable", () -> {
        Optional<String> problem = caughtUp(cluster, name, target).or(() -> membershipProblem(cluster));
        problem.ifPresent(p -> why[0] = p);
        return problem.isEmpty();
      });
    } catch (AssertionError e) {
      String statuses = QuorumView.raw(cluster);
      ThreadDumps.appendToLogs(cluster);
      throw new AssertionError(e.getMessage() + " (last seen: " + why[0] + "); /admin/v1/quorum now:" + statuses, e);
    }
  }

  /**
   * Empty once the leader's matchIndex for {@code name} and the member's own applied index reach
   * the leader's commit index as it was when waiting began (later writes may keep coming).
   */
  private static Optional<String> caughtUp(ClusterFile cluster, String name, long[] target) {
    Optional<String> leader = QuorumView.leader(cluster);
    if (leader.isEmpty()) {
      return Optional.of("no leader");
    }
    JsonNode l = quorum(cluster.member(leader.get()).orElseThrow());
    JsonNode m = quorum(cluster.member(name).orElseThrow());
    if (l == null || m == null) {
      return Optional.of("no /admin/v1/quorum answer from " + (l == null ? leader.get() : name));
    }
    if (target[0] < 0) {
      target[0] = l.path("commitIndex").asLong();
    }
    long match = -1;
    for (JsonNode member : l.path("members")) {
      if (member.path("name").asText().equals(name)) {
        match = member.path("matchIndex").asLong(-1);
      }
    }
    long applied = m.path("appliedIndex").asLong();
    if (match < target[0] || applied < target[0]) {
      return Optional.of(name + " at matchIndex " + match + ", appliedIndex " + applied + "; leader " + leader.get()
          + " had committed " + target[0]);
    }
    return Optional.empty();
  }

  /** Empty when every control-plane member lists every member of the cluster Up and none unreachable. */
  private static Optional<String> membershipProblem(ClusterFile cluster) {
    for (MemberSpec cp : cluster.withRole(MemberCard.CONTROL_PLANE)) {
      Http.Answer a = Http.get("http://127.0.0.1:" + cp.httpPort() + "/admin/v1/cluster");
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

  private static JsonNode quorum(MemberSpec m) {
    Http.Answer a = Http.get("http://127.0.0.1:" + m.httpPort() + "/admin/v1/quorum");
    return a == null || a.code() != 200 ? null : a.body();
  }
}
