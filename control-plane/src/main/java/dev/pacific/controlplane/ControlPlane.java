package dev.pacific.controlplane;

import dev.pacific.controlplane.api.ApiRoutes;
import dev.pacific.controlplane.api.KvRoutes;
import dev.pacific.controlplane.api.QuorumReadiness;
import dev.pacific.controlplane.api.NodesFromMembership;
import dev.pacific.controlplane.quorum.KvStateMachine;
import dev.pacific.controlplane.quorum.QuorumClient;
import dev.pacific.controlplane.quorum.QuorumKv;
import dev.pacific.controlplane.quorum.QuorumStorage;
import dev.pacific.controlplane.quorum.store.StoreException;
import dev.pacific.controlplane.quorum.QuorumBulk;
import dev.pacific.controlplane.quorum.QuorumMember;
import dev.pacific.controlplane.quorum.QuorumSettings;
import dev.pacific.http.HttpServers;
import dev.pacific.membership.MemberDirectory;
import dev.pacific.membership.MemberIdentity;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;

/** What a {@code control-plane} member runs: its card in the directory, its quorum member and the API server. */
public final class ControlPlane {

  private ControlPlane() {}

  /** @param started completes with the API's bound port, or fails when the member cannot start */
  public static Behavior<Void> create(MemberIdentity me, CompletableFuture<Integer> started) {
    return Behaviors.setup(ctx -> {
      org.slf4j.Logger log = ctx.getLog();
      var config = ctx.getSystem().settings().config();
      ControlPlaneSettings settings = ControlPlaneSettings.fromConfig(config);
      QuorumStorage storage;
      try {
        storage = QuorumStorage.open(me.dataDir(), me.name(), config);
      } catch (StoreException e) {
        started.completeExceptionally(e);
        return Behaviors.stopped();
      }
      ActorRef<MemberDirectory.Command> directory =
          ctx.spawn(MemberDirectory.create(settings.publishTimeout()), "members");
      directory.tell(new MemberDirectory.Publish(me.card(Map.of(), Map.of())));
      var members = MemberDirectory.follow(ctx, directory, "members-view");
      ActorRef<QuorumMember.Command> quorum = startQuorum(ctx, me, storage);
      Cluster cluster = Cluster.get(ctx.getSystem());
      var kv = new QuorumKv(new QuorumClient(ctx.getSystem(), quorum, KvStateMachine.SESSIONS,
          QuorumClient.Settings.fromConfig(config)));
      var routes = new ApiRoutes(
          QuorumReadiness.follow(ctx, quorum, config.getDuration("pacific.quorum.readiness-poll")),
          new NodesFromMembership(cluster, members, Clock.systemUTC()),
          org.apache.pekko.cluster.Cluster.get(Adapter.toClassic(ctx.getSystem())),
          Optional.of(new KvRoutes(kv, storage.watch(), quorum, ctx.getSystem())));
      HttpServers.bind(ctx.getSystem(), me.host(), me.httpPort(), routes.routes(), log, "API server", started);
      // The stores close after every child, the quorum member among them, has stopped.
      return Behaviors.receive(Void.class).onSignal(PostStop.class, s -> {
        storage.close();
        return Behaviors.same();
      }).build();
    });
  }

  /** {@code /user/quorum} and its bulk inbox {@code /user/quorum-bulk}, on the member's LevelDB storage. */
  private static ActorRef<QuorumMember.Command> startQuorum(
      org.apache.pekko.actor.typed.javadsl.ActorContext<Void> ctx, MemberIdentity me, QuorumStorage storage) {
    var settings = QuorumSettings.fromConfig(ctx.getSystem().settings().config(), me.name());
    ActorRef<QuorumMember.Command> quorum = ctx.spawn(QuorumMember.create(settings, storage.log(),
        storage.stateMachine()), "quorum", DispatcherSelector.fromConfig(
            ctx.getSystem().settings().config().getString("pacific.quorum.dispatcher")));
    ctx.spawn(QuorumBulk.create(quorum), "quorum-bulk");
    return quorum;
  }
}
