package dev.pacific.controlplane;

import dev.pacific.controlplane.api.ApiRoutes;
import dev.pacific.controlplane.api.ControlPlaneMajority;
import dev.pacific.controlplane.api.NodesFromMembership;
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
      Cluster cluster = Cluster.get(ctx.getSystem());
      var routes = new ApiRoutes(
          new ControlPlaneMajority(cluster, settings.controlPlaneMembers()),
          new NodesFromMembership(cluster, members, Clock.systemUTC()),
          org.apache.pekko.cluster.Cluster.get(Adapter.toClassic(ctx.getSystem())));
      HttpServers.bind(ctx.getSystem(), me.host(), me.httpPort(), routes.routes(), log, "API server", started);
      return Behaviors.empty();
    });
  }
}
