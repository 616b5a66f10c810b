package dev.pacific.controlplane.lb;

import dev.pacific.membership.MemberDirectory;
import dev.pacific.membership.MemberIdentity;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** What an {@code lb} member runs: its card, discovery of the API servers, and the balancer. */
public final class LoadBalancerMember {

  private LoadBalancerMember() {}

  /** @param bound completes with the port clients connect to */
  public static Behavior<Void> create(MemberIdentity me, CompletableFuture<Integer> bound) {
    return Behaviors.setup(ctx -> {
      var config = ctx.getSystem().settings().config();
      LbSettings settings = LbSettings.fromConfig(config).withPort(me.httpPort());
      var directory = ctx.spawn(
          MemberDirectory.create(config.getDuration("pacific.membership.publish-timeout")), "members");
      directory.tell(new MemberDirectory.Publish(me.card(Map.of(), Map.of())));
      var balancer = ctx.spawn(LoadBalancer.create(settings, bound), "balancer");
      ctx.spawn(BackendDiscovery.create(directory, balancer), "discovery");
      return Behaviors.empty();
    });
  }
}
