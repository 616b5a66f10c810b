package dev.pacific.controlplane;

import dev.pacific.controlplane.api.ApiRoutes;
import dev.pacific.controlplane.api.ControlPlaneMajority;
import dev.pacific.controlplane.api.NodesFromMembership;
import dev.pacific.controlplane.quorum.MemoryKv;
import dev.pacific.controlplane.quorum.MemoryLog;
import dev.pacific.controlplane.quorum.QuorumBulk;
import dev.pacific.controlplane.quorum.QuorumMember;
import dev.pacific.controlplane.quorum.QuorumSettings;
import dev.pacific.http.HttpServers;
import dev.pacific.membership.MemberDirectory;
import dev.pacific.membership.MemberIdentity;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;

/** What a {@code control-plane} member runs: its card in the directory and the API server. */
public final class ControlPlane {

  private ControlPlane() {}

  /** @param started completes with the API's bound port, or fails when the API cannot bind */
  public static Behavior<Void> create(MemberIdentity me, CompletableFuture<Integer> started) {
    return Behaviors.setup(ctx -> {
      org.slf4j.Logger log = ctx.getLog();
      ControlPlaneSettings settings = ControlPlaneSettings.fromConfig(ctx.getSystem().settings().config());
      ActorRef<MemberDirectory.Command> directory =
          ctx.spawn(MemberDirectory.create(settings.publishTimeout()), "members");
      directory.tell(new MemberDirectory.Publish(me.card(Map.of(), Map.of())));
      var members = MemberDirectory.follow(ctx, directory, "members-view");
      startQuorum(ctx, me);
      Cluster cluster = Cluster.get(ctx.getSystem());
      var routes = new ApiRoutes(
          new ControlPlaneMajority(cluster, settings.controlPlaneMembers()),
          new NodesFromMembership(cluster, members, Clock.systemUTC()),
          org.apache.pekko.cluster.Cluster.get(Adapter.toClassic(ctx.getSystem())));
      HttpServers.bind(ctx.getSystem(), me.host(), me.httpPort(), routes.routes(), log, "API server", started);
      return Behaviors.empty();
    });
  }

  /**
   * {@code /user/quorum} and its bulk inbox {@code /user/quorum-bulk}, when this member is one of the
   * configured quorum peers. TODO(issue 4): the LevelDB log and MVCC store in {@code <data-dir>/quorum}
   * replace the in-memory ones, which lose everything when the JVM stops.
   */
  private static void startQuorum(org.apache.pekko.actor.typed.javadsl.ActorContext<Void> ctx, MemberIdentity me) {
    var config = ctx.getSystem().settings().config();
    if (!QuorumSettings.parsePeers(config).containsKey(me.name())) {
      ctx.getLog().info("{} is not a configured quorum peer; no quorum member runs here", me.name());
      return;
    }
    var settings = QuorumSettings.fromConfig(config, me.name());
    ActorRef<QuorumMember.Command> quorum =
        ctx.spawn(QuorumMember.create(settings, new MemoryLog(), new MemoryKv()), "quorum");
    ctx.spawn(QuorumBulk.create(quorum), "quorum-bulk");
  }
}
