package dev.pacific.host.spherelet;

import dev.pacific.http.HttpServers;
import dev.pacific.membership.MemberDirectory;
import dev.pacific.membership.MemberIdentity;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;

/**
 * The host agent. For now it announces the host (its card carries the capacity the control
 * plane shows on the Node) and serves the host's own HTTP endpoint; running pods comes with the
 * runtime and scheduler issues.
 */
public final class Spherelet {

  private Spherelet() {}

  /** @param started completes with the host endpoint's port, or fails when it cannot bind */
  public static Behavior<Void> create(MemberIdentity me, CompletableFuture<Integer> started) {
    return Behaviors.setup(ctx -> {
      org.slf4j.Logger log = ctx.getLog();
      var config = ctx.getSystem().settings().config();
      HostSettings host;
      try {
        host = HostSettings.fromConfig(config);
      } catch (IllegalArgumentException e) {
        started.completeExceptionally(e);
        return Behaviors.stopped();
      }
      Map<String, String> labels = new LinkedHashMap<>(host.labels());
      labels.put("pacific.dev/runtime", host.runtime());
      var directory = ctx.spawn(
          MemberDirectory.create(config.getDuration("pacific.membership.publish-timeout")), "members");
      directory.tell(new MemberDirectory.Publish(me.card(host.capacity(), labels)));
      HttpServers.bind(ctx.getSystem(), me.host(), me.httpPort(), path("healthz", () -> get(() -> complete("ok"))),
          log, "host endpoint", started);
      return Behaviors.empty();
    });
  }
}
