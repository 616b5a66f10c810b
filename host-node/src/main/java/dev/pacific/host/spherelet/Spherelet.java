package dev.pacific.host.spherelet;

import dev.pacific.host.logs.LogRoutes;
import dev.pacific.http.HttpServers;
import dev.pacific.membership.MemberCard;
import dev.pacific.membership.MemberDirectory;
import dev.pacific.membership.MemberIdentity;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ServerBinding;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;

/**
 * A host member: announces the host on its member card (the control plane still builds Nodes from
 * cards until its gateway reads registrations), serves the host's HTTP endpoint ({@code /healthz}
 * and the kubelet-shaped {@code /containerLogs/...} the control plane proxies as
 * {@code pods/log}), and runs the {@link SphereletCore} under a supervisor that restarts it after
 * a failure. The runtime and the watchdog belong to the member, not to the spherelet, so a
 * restarted spherelet finds its pods still running and adopts them.
 */
public final class Spherelet {

  private Spherelet() {}

  private sealed interface Command {}

  private record Bound(ServerBinding binding, Throwable failure) implements Command {}

  /** @param started completes with the host endpoint's port, or fails when it cannot bind or start */
  public static Behavior<Void> create(MemberIdentity me, CompletableFuture<Integer> started) {
    return Behaviors.setup(ctx -> {
      ctx.spawn(member(me, started), "host");
      return Behaviors.empty();
    });
  }

  private static Behavior<Command> member(MemberIdentity me, CompletableFuture<Integer> started) {
    return Behaviors.setup(ctx -> {
      var config = ctx.getSystem().settings().config();
      var blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
      var directory = ctx.spawn(
          MemberDirectory.create(config.getDuration("pacific.membership.publish-timeout")), "members");
      var members = MemberDirectory.follow(ctx, directory, "members-view");
      HostAssembly parts;
      try {
        parts = HostAssembly.build(config, me, blocking, () -> controlPlaneAddresses(members.get()));
      } catch (IllegalArgumentException | IOException e) {
        started.completeExceptionally(e);
        return Behaviors.stopped();
      }
      Map<String, String> labels = new LinkedHashMap<>(parts.host.labels());
      labels.put("pacific.dev/runtime", parts.host.runtime());
      directory.tell(new MemberDirectory.Publish(me.card(parts.host.capacity(), labels)));
      var route = concat(path("healthz", () -> get(() -> complete("ok"))),
          LogRoutes.route(parts.logs, parts.settings.logFollowPoll()));
      ctx.pipeToSelf(HttpServers.bind(ctx.getSystem(), me.host(), me.httpPort(), route, ctx.getLog()), Bound::new);
      return Behaviors.receive(Command.class)
          .onMessage(Bound.class, b -> {
            if (b.failure() != null) {
              started.completeExceptionally(b.failure());
              return Behaviors.stopped();
            }
            int port = b.binding().localAddress().getPort();
            ctx.getLog().info("host endpoint listening on {}", b.binding().localAddress());
            var kit = parts.kit(NodeDescription.of(me, parts.host, port, Instant.now()));
            ctx.spawn(Behaviors.supervise(SphereletCore.create(kit))
                .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2)),
                "spherelet");
            started.complete(port);
            return Behaviors.same();
          })
          .onSignal(PostStop.class, stop -> {
            parts.close();
            return Behaviors.same();
          })
          .build();
    });
  }

  /** Where the control-plane members serve HTTP, from their cards: the content library is there. */
  static List<URI> controlPlaneAddresses(MemberDirectory.Members members) {
    return members.withRole(MemberCard.CONTROL_PLANE).stream()
        .filter(card -> card.httpPort() > 0)
        .map(card -> URI.create("http://" + card.host() + ":" + card.httpPort()))
        .toList();
  }
}
