package dev.pacific.controlplane.controllers;

import dev.pacific.api.Node;
import dev.pacific.api.NodeCondition;
import dev.pacific.api.Pod;
import dev.pacific.api.PodStatus;
import dev.pacific.controlplane.entities.HostCapacity;
import dev.pacific.controlplane.entities.HostMutations;
import dev.pacific.controlplane.hosts.HostLeases;
import dev.pacific.wire.HostGatewayProtocol;
import dev.pacific.controlplane.entities.PodMutations;
import dev.pacific.controlplane.persistence.RegistryKeys;
import dev.pacific.controlplane.persistence.RegistryReader;
import dev.pacific.controlplane.persistence.ResourceKind;
import dev.pacific.controlplane.podcache.PodCache;
import dev.pacific.controlplane.quorum.QuorumKv;
import dev.pacific.controlplane.quorum.QuorumWatch;
import dev.pacific.controlplane.quorum.store.KeyRange;
import dev.pacific.controlplane.scheduler.RegistryFeed;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The host lifecycle controller (one active instance, under {@code LeaseElection "host-lifecycle"}),
 * Kubernetes' node lifecycle controller and pod GC in one, driven by the hosts' quorum leases:
 *
 * <ul>
 *   <li>A host is <b>lost</b> when its lease key {@code leases/hosts/<name>} is deleted (the lease
 *       expired or was revoked), or when its Node stays without a lease key for
 *       {@code registration-grace}. Its Node gets {@code Ready=False} (reason {@code HostLeaseExpired}
 *       or {@code HostLeaseMissing}) at the next sweep. A host whose member dies or is downed stops
 *       renewing, so its lease expires within the TTL (5 s), before the Split Brain Resolver would
 *       down the member (8–11 s): the lease is the one signal, which a paused host cannot fake.
 *       Until the pods are dealt with, the gateway refuses the host a new lease (its grant record,
 *       {@link HostLeases}).
 *   <li>Its pods move only once the old copies have surely stopped: the host fences its pods before
 *       its lease TTL runs out, so {@code reschedule-margin} after the lease was seen deleted (it was
 *       last renewed a TTL before that), or {@code host-lease-ttl + margin} after the last moment it
 *       may have been alive otherwise. Then see {@link Evacuation}.
 *   <li>A host in <b>maintenance</b> ({@code spec.unschedulable} and {@code pacific.dev/maintenance:
 *       "true"}) has each pod marked evicting ({@code PodEntity.Evict}); the host stops it gracefully,
 *       as it would a deleted pod, and its confirmation hands the pod back to the scheduler, so a pod
 *       never starts elsewhere while its old copy still runs. A host that dies meanwhile is lost, and
 *       its pods move as above. The scheduler keeps the host empty (it is unschedulable), and places
 *       pods there again once maintenance ends.
 * </ul>
 *
 * State is in memory and rebuilt on start (the leases, nodes and pods are in the registry); a new
 * leader counts every host without a lease as lost from its own start, the safe side.
 */
public final class HostLifecycle {

  public interface Command {}

  private record Listed(RegistryReader.Page nodes, List<String> leased, long revision) implements Command {}

  private record NodeChanged(RegistryReader.Change change) implements Command {}

  private record LeaseChanged(String host, boolean exists) implements Command {}

  private record FeedFailed(Throwable error) implements Command {}

  private enum Sweep implements Command { INSTANCE }

  private record Swept(Set<String> done) implements Command {}

  /** A lost host: why, and from when (System.nanoTime) its pods may move. */
  private record Lost(String reason, String message, long moveAfter) {}

  public static final String LEASE_PREFIX = HostLeases.LEASE_PREFIX;

  /** A node feed that stands still behind this member's store this long is stuck: the controller lists again. */
  private static final java.time.Duration FEED_PATIENCE = java.time.Duration.ofSeconds(20);

  private final ActorContext<Command> ctx;
  /**
   * The context's logger, taken once: {@code log} may only be called on the actor's own thread, and
   * some lines are logged from future callbacks (Pekko throws there, and the callback's work is lost).
   */
  private final org.slf4j.Logger log;
  private final QuorumKv kv;
  private final RegistryReader reader;
  private final PodCache cache;
  private final HostMutations hosts;
  private final PodMutations pods;
  private final HostLifecycleSettings settings;
  private final Evacuation evacuation;
  private final RegistryFeed feed;
  private final LeaseFeed leaseFeed;
  private final long started = System.nanoTime();
  private final Map<String, Node> nodes = new HashMap<>();
  private final Set<String> leased = new HashSet<>();
  private final Map<String, Lost> lost = new HashMap<>();
  private final Set<String> inMaintenance = new HashSet<>();
  private boolean listed;
  private boolean sweeping;

  public static Behavior<Command> create(QuorumKv kv, RegistryReader reader, PodCache cache, QuorumWatch leases,
                                         HostMutations hosts, PodMutations pods, HostLifecycleSettings settings) {
    Behavior<Command> controller = Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Sweep.INSTANCE, settings.sweepInterval());
      return new HostLifecycle(ctx, kv, reader, cache, leases, hosts, pods, settings).start();
    }));
    return Behaviors.supervise(controller).onFailure(SupervisorStrategy.restartWithBackoff(
        settings.sweepInterval(), settings.sweepInterval().multipliedBy(10), 0.2));
  }

  private HostLifecycle(ActorContext<Command> ctx, QuorumKv kv, RegistryReader reader, PodCache cache,
                        QuorumWatch leases, HostMutations hosts, PodMutations pods, HostLifecycleSettings settings) {
    this.ctx = ctx;
    this.log = ctx.getLog();
    this.kv = kv;
    this.reader = reader;
    this.cache = cache;
    this.hosts = hosts;
    this.pods = pods;
    this.settings = settings;
    this.evacuation = new Evacuation(pods, hosts);
    this.feed = new RegistryFeed(ctx.getSystem(), reader);
    this.leaseFeed = new LeaseFeed(ctx.getSystem(), leases);
  }

  private Behavior<Command> start() {
    KeyRange leaseRange = KeyRange.prefix(LEASE_PREFIX.getBytes(StandardCharsets.UTF_8));
    ctx.pipeToSelf(kv.range(leaseRange).thenCompose(l -> reader.page(
            KeyRange.prefix(RegistryKeys.prefix(ResourceKind.NODES)), l.revision(), 0)
        .thenApply(n -> new Listed(n, l.kvs().stream().map(e -> hostOf(e.key())).toList(), l.revision()))),
        (l, e) -> e != null ? new FeedFailed(e) : l);
    return Behaviors.receive(Command.class)
        .onMessage(Listed.class, this::onListed)
        .onMessage(NodeChanged.class, c -> {
          Node n = (Node) c.change().record().state().object();
          if (c.change().type() == dev.pacific.controlplane.quorum.WatchEvent.Type.DELETED || n == null) {
            nodes.remove(c.change().record().ref().name());
          } else {
            nodes.put(n.metadata().name(), n);
          }
          return Behaviors.same();
        })
        .onMessage(LeaseChanged.class, this::onLeaseChanged)
        .onMessage(FeedFailed.class, f -> {
          throw new IllegalStateException("host lifecycle: the registry feed failed; listing again", f.error());
        })
        .onMessageEquals(Sweep.INSTANCE, this::onSweep)
        .onMessage(Swept.class, s -> {
          sweeping = false;
          s.done().forEach(host -> log.debug("host lifecycle: every pod of lost host {} is dealt with", host));
          return Behaviors.same();
        })
        .onSignal(PreRestart.class, s -> stopFeeds())
        .onSignal(PostStop.class, s -> stopFeeds())
        .build();
  }

  private Behavior<Command> stopFeeds() {
    feed.stop();
    leaseFeed.stop();
    return Behaviors.same();
  }

  private Behavior<Command> onListed(Listed l) {
    l.nodes().records().forEach(r -> nodes.put(r.ref().name(), (Node) r.state().object()));
    leased.addAll(l.leased());
    ActorRef<Command> self = ctx.getSelf();
    feed.follow(ResourceKind.NODES, l.revision(), c -> self.tell(new NodeChanged(c)), e -> self.tell(new FeedFailed(e)));
    leaseFeed.follow(LEASE_PREFIX, l.revision(), (key, exists) -> self.tell(new LeaseChanged(hostOf(key), exists)),
        e -> self.tell(new FeedFailed(e)));
    listed = true;
    log.info("host lifecycle: {} nodes, {} host leases", nodes.size(), leased.size());
    return Behaviors.same();
  }

  private Behavior<Command> onLeaseChanged(LeaseChanged c) {
    if (c.exists()) {
      leased.add(c.host());
      if (lost.remove(c.host()) != null) {
        log.info("host lifecycle: host {} holds a lease again", c.host());
      }
    } else {
      leased.remove(c.host());
      // Expiry deletes the key a TTL after the last renewal: the host has fenced its pods already.
      lose(c.host(), "HostLeaseExpired", "the host's lease expired", 0);
    }
    return Behaviors.same();
  }

  /** Marks {@code host} lost; its pods may move {@code wait} + margin from now (or earlier if already due). */
  private void lose(String host, String reason, String message, long wait) {
    long moveAfter = System.nanoTime() + wait + settings.rescheduleMargin().toNanos();
    Lost before = lost.get(host);
    if (before == null || moveAfter < before.moveAfter()) {
      lost.put(host, new Lost(before == null ? reason : before.reason(), before == null ? message : before.message(),
          moveAfter));
    }
    if (before == null) {
      log.warn("host lifecycle: host {} lost ({}); its pods move in {} ms", host, message,
          (moveAfter - System.nanoTime()) / 1_000_000);
    }
  }

  private Behavior<Command> onSweep() {
    if (!listed) {
      return Behaviors.same();
    }
    if (feed.stalledFor(FEED_PATIENCE)) {
      throw new IllegalStateException("the node feed stood at revision " + feed.revision()
          + " while this member applied up to " + reader.localRevision() + "; listing again");
    }
    long now = System.nanoTime();
    for (Node node : nodes.values()) {
      String name = node.metadata().name();
      // A node never seen with a lease: lost once the registration grace (from our start) has passed.
      if (!leased.contains(name) && !lost.containsKey(name)
          && now - started > settings.registrationGrace().toNanos() && isReady(node)) {
        lose(name, "HostLeaseMissing", "the host holds no lease", settings.hostLeaseTtl().toNanos());
      }
      Lost l = lost.get(name);
      if (l != null && isReady(node)) {
        markNotReady(node, l);
      }
      if (inMaintenance(node)) {
        inMaintenance.add(name);
      } else {
        inMaintenance.remove(name);
      }
    }
    if (sweeping) {
      return Behaviors.same();
    }
    Set<String> due = new HashSet<>();
    lost.forEach((host, l) -> {
      if (now >= l.moveAfter()) {
        due.add(host);
      }
    });
    if (due.isEmpty() && inMaintenance.isEmpty()) {
      return Behaviors.same();
    }
    sweeping = true;
    Set<String> maintenance = Set.copyOf(inMaintenance);
    Set<String> swept = new HashSet<>(due);
    swept.addAll(maintenance);
    // From this member's pod cache (a consistent read): a range of every pod, every half second while a host is in
    // maintenance, was some 20 MB built on the quorum member's thread at 10,000 pods.
    ctx.pipeToSelf(cache.onNodes(swept).thenCompose(bound -> move(bound, due, maintenance)),
        (done, error) -> {
          if (error != null) {
            // Silent before: a lost host's pods then waited with nothing in the log to say why.
            log.warn("host lifecycle: a sweep failed ({}); the next one tries again", error.toString());
          }
          return new Swept(error != null ? Set.of() : done);
        });
    return Behaviors.same();
  }

  /** Moves the pods of due lost hosts and marks the pods of hosts in maintenance evicting; the lost hosts now empty. */
  private java.util.concurrent.CompletionStage<Set<String>> move(List<Pod> bound, Set<String> due,
                                                                 Set<String> maintenance) {
    Map<String, List<Pod>> byHost = new HashMap<>();
    for (Pod p : bound) {
      String host = p.spec().nodeName();
      if (host == null || isFinished(p)) {
        continue;
      }
      if (due.contains(host) || maintenance.contains(host) && !evicting(p, host)) {
        byHost.computeIfAbsent(host, h -> new ArrayList<>()).add(p);
      }
    }
    List<java.util.concurrent.CompletableFuture<String>> runs = new ArrayList<>();
    for (String host : due) {
      List<Pod> onHost = byHost.getOrDefault(host, List.of());
      if (!onHost.isEmpty()) {
        log.info("host lifecycle: moving {} pods off lost host {}", onHost.size(), host);
      }
      runs.add(evacuation.evacuate(host, onHost, true).toCompletableFuture().thenApply(ok -> ok ? host : null));
    }
    maintenance.stream().filter(h -> !due.contains(h) && byHost.containsKey(h)).forEach(host ->
        runs.add(evacuation.evict(host, byHost.get(host)).toCompletableFuture().thenApply(ok -> null)));
    return java.util.concurrent.CompletableFuture.allOf(runs.toArray(java.util.concurrent.CompletableFuture[]::new))
        .thenApply(v -> {
          Set<String> done = new HashSet<>();
          runs.forEach(r -> {
            if (r.join() != null) {
              done.add(r.join());
            }
          });
          return done;
        });
  }

  private static boolean evicting(Pod pod, String host) {
    return host.equals(pod.metadata().annotations().get(HostGatewayProtocol.EVICTING_ANNOTATION));
  }

  private void markNotReady(Node node, Lost l) {
    List<NodeCondition> conditions = new ArrayList<>(node.status().conditions());
    conditions.removeIf(c -> "Ready".equals(c.type()));
    String now = Evacuation.now();
    conditions.add(new NodeCondition("Ready", "False", now, now, l.reason(), l.message()));
    Node.Status s = node.status();
    Node update = new Node(node.metadata().withResourceVersion(null), node.spec(),
        new Node.Status(s.capacity(), s.allocatable(), conditions, s.addresses(), s.daemonEndpoints()));
    hosts.updateStatus(update).whenComplete((o, e) -> {
      if (e != null) {
        log.info("host lifecycle: marking {} NotReady failed ({}); the next sweep tries again",
            node.metadata().name(), e.toString());
      }
    });
  }

  private static boolean isReady(Node node) {
    NodeCondition ready = node.status() == null ? null : node.readyCondition();
    return ready != null && "True".equals(ready.status());
  }

  static boolean inMaintenance(Node node) {
    return node.spec() != null && node.spec().unschedulable()
        && "true".equals(node.metadata().annotations().get(HostCapacity.MAINTENANCE_ANNOTATION));
  }

  private static boolean isFinished(Pod pod) {
    String phase = pod.status() == null ? null : pod.status().phase();
    return Objects.equals(phase, "Succeeded") || Objects.equals(phase, "Failed");
  }

  private static String hostOf(byte[] key) {
    return new String(key, StandardCharsets.UTF_8).substring(LEASE_PREFIX.length());
  }
}
