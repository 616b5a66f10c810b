package dev.pacific.controlplane;

import dev.pacific.controlplane.api.ApiRoutes;
import dev.pacific.controlplane.api.KvRoutes;
import dev.pacific.controlplane.api.ApiSettings;
import dev.pacific.controlplane.api.EntityCountsRoute;
import dev.pacific.controlplane.api.ImageRoutes;
import dev.pacific.controlplane.library.ContentLibrary;
import dev.pacific.controlplane.library.LibrarySettings;
import dev.pacific.controlplane.api.NodeSource;
import dev.pacific.controlplane.api.QuorumReadiness;
import dev.pacific.controlplane.api.MaintenanceRoute;
import dev.pacific.controlplane.api.ResourceRoutes;
import dev.pacific.controlplane.hosts.GatewaySettings;
import dev.pacific.controlplane.hosts.HostGateway;
import dev.pacific.controlplane.hosts.HostLeases;
import dev.pacific.controlplane.hosts.PodReports;
import dev.pacific.controlplane.persistence.RegistryReader;
import dev.pacific.controlplane.podcache.PodCache;
import dev.pacific.controlplane.podcache.PodCacheSettings;
import dev.pacific.controlplane.api.NodesFromMembership;
import dev.pacific.controlplane.controllers.HostLifecycle;
import dev.pacific.controlplane.controllers.HostLifecycleSettings;
import dev.pacific.controlplane.election.ElectionSettings;
import dev.pacific.controlplane.election.LeaseElection;
import dev.pacific.controlplane.entities.Entities;
import dev.pacific.controlplane.scheduler.Scheduler;
import dev.pacific.controlplane.scheduler.SchedulerSettings;
import dev.pacific.controlplane.quorum.DroppedQuorumMessages;
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

/**
 * What a {@code control-plane} member runs: its card in the directory, its quorum member, the registry's
 * sharded entities and the API server.
 */
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
      // Pods, namespaces and hosts as sharded entities whose state the quorum stores; the API writes through them
      // and reads the registry straight from the quorum.
      var reader = new RegistryReader(kv, storage.watch(),
          org.apache.pekko.serialization.SerializationExtension.get(Adapter.toClassic(ctx.getSystem())));
      // One cache of every pod per member serves the hosts' subscriptions, reconciles and sweeps (consistent reads).
      PodCache podCache = PodCache.start(ctx.getSystem(), reader, kv, PodCacheSettings.fromConfig(config));
      Entities entities = Entities.start(ctx.getSystem(), kv, podCache, config);
      var nodes = new NodesFromMembership(cluster, members, Clock.systemUTC());
      startControllers(ctx, me, kv, reader, podCache, storage, entities);
      // Hosts register through the gateway into the registry; a node's Ready also follows its member's
      // reachability, so a host that is gone from the Pekko cluster shows NotReady before its lease expires.
      var resources = new ResourceRoutes(reader, entities.mutations(), new NodeSource.RegistryAndMembership(nodes),
          ApiSettings.fromConfig(config), ctx.getSystem());
      startGateway(ctx, kv, entities, reader, podCache);
      var routes = new ApiRoutes(
          QuorumReadiness.follow(ctx, quorum, config.getDuration("pacific.quorum.readiness-poll")),
          nodes,
          org.apache.pekko.cluster.Cluster.get(Adapter.toClassic(ctx.getSystem())),
          Optional.of(new KvRoutes(kv, storage.watch(), quorum, ctx.getSystem())),
          Optional.of(resources));
      var entityCounts = new EntityCountsRoute(ctx.getSystem(), me.name(), entities.typeKeys());
      var library = new ContentLibrary(kv, LibrarySettings.fromConfig(config, me.dataDir()), Clock.systemUTC(),
          ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking()));
      HttpServers.bind(ctx.getSystem(), me.host(), me.httpPort(),
          org.apache.pekko.http.javadsl.server.Directives.concat(entityCounts.route(),
              new MaintenanceRoute(reader, entities.hosts(), ctx.getSystem()).route(),
              new ImageRoutes(library, ctx.getSystem()).route(), routes.routes()), log,
          "API server", started);
      // The stores close after every child, the quorum member among them, has stopped.
      return Behaviors.receive(Void.class).onSignal(PostStop.class, s -> {
        podCache.stop();
        storage.close();
        return Behaviors.same();
      }).build();
    });
  }

  /** {@code /user/host-gateway}, registered with the Receptionist for the hosts' spherelets. */
  private static void startGateway(org.apache.pekko.actor.typed.javadsl.ActorContext<Void> ctx, QuorumKv kv,
                                   Entities entities, RegistryReader reader, PodCache podCache) {
    GatewaySettings settings = GatewaySettings.fromConfig(ctx.getSystem().settings().config());
    ctx.spawn(HostGateway.create(settings, new HostLeases(kv, settings.leaseTtl().toMillis()), entities.hosts(),
        new PodReports(reader, podCache, entities.pods()), podCache, Clock.systemUTC()), "host-gateway");
  }

  /** The scheduler and the host lifecycle controller: each elected, so one runs in the cluster at a time. */
  private static void startControllers(org.apache.pekko.actor.typed.javadsl.ActorContext<Void> ctx, MemberIdentity me,
      QuorumKv kv, RegistryReader reader, PodCache podCache, QuorumStorage storage, Entities entities) {
    var config = ctx.getSystem().settings().config();
    var election = ElectionSettings.fromConfig(config);
    ctx.spawn(LeaseElection.create("scheduler", me.name(), kv, election, Scheduler.create(reader, entities.pods(),
        entities.hosts(), SchedulerSettings.fromConfig(config))), "scheduler-election");
    ctx.spawn(LeaseElection.create("host-lifecycle", me.name(), kv, election, HostLifecycle.create(kv, reader, podCache,
        storage.watch(), entities.hosts(), entities.pods(), HostLifecycleSettings.fromConfig(config))),
        "host-lifecycle-election");
  }

  /** {@code /user/quorum} and its bulk inbox {@code /user/quorum-bulk}, on the member's LevelDB storage. */
  private static ActorRef<QuorumMember.Command> startQuorum(
      org.apache.pekko.actor.typed.javadsl.ActorContext<Void> ctx, MemberIdentity me, QuorumStorage storage) {
    var settings = QuorumSettings.fromConfig(ctx.getSystem().settings().config(), me.name());
    ActorRef<QuorumMember.Command> quorum = ctx.spawn(QuorumMember.create(settings, storage.log(),
        storage.stateMachine()), "quorum", DispatcherSelector.fromConfig(
            ctx.getSystem().settings().config().getString("pacific.quorum.dispatcher")));
    ctx.spawn(QuorumBulk.create(quorum), "quorum-bulk");
    ctx.spawn(DroppedQuorumMessages.create(java.time.Duration.ofSeconds(5)), "quorum-drops");
    return quorum;
  }
}
