package dev.pacific.controlplane.hosts;

import dev.pacific.api.Node;
import dev.pacific.api.NodeCondition;
import dev.pacific.api.Pod;
import dev.pacific.controlplane.entities.Mutations.Outcome;
import dev.pacific.controlplane.entities.HostMutations;
import dev.pacific.controlplane.entities.PodMutations;
import dev.pacific.controlplane.podcache.PodCache;
import dev.pacific.wire.HostGatewayProtocol;
import dev.pacific.wire.HostGatewayProtocol.ConfirmPodStopped;
import dev.pacific.wire.HostGatewayProtocol.Register;
import dev.pacific.wire.HostGatewayProtocol.RenewLease;
import dev.pacific.wire.HostGatewayProtocol.ReportPodStatus;
import dev.pacific.wire.HostGatewayProtocol.StopWatching;
import dev.pacific.wire.HostGatewayProtocol.WatchPods;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * The control plane's door for hosts ({@link HostGatewayProtocol}): one per control-plane member,
 * registered with the Receptionist. It keeps nothing a host could not rebuild by asking again —
 * the Host entity, the lease ({@link HostLeases}) and the registry hold the truth — so a host
 * moves to any other gateway when this one dies. The only state is the live pod subscriptions,
 * one child per host, which die with their subscriber.
 */
public final class HostGateway {

  /** Watches ended by their child, so that a newer subscription of the same host is not forgotten. */
  private record WatchEnded(String host, ActorRef<BoundPodsWatch.Command> child) {}

  private record Subscription(long watchId, ActorRef<BoundPodsWatch.Command> child) {}

  private HostGateway() {}

  public static Behavior<HostGatewayProtocol.Request> create(GatewaySettings settings, HostLeases leases,
                                                             HostMutations hosts, PodReports pods,
                                                             PodCache cache, Clock clock) {
    // Object, not Request: the gateway also hears its children's ends, which are no part of the wire protocol.
    return Behaviors.<Object>setup(ctx -> {
      ctx.getSystem().receptionist().tell(Receptionist.register(HostGatewayProtocol.SERVICE_KEY,
          ctx.getSelf().<HostGatewayProtocol.Request>narrow()));
      Map<String, Subscription> watches = new HashMap<>();
      return Behaviors.receive(Object.class)
          .onMessage(Register.class, r -> {
            register(r, settings, leases, hosts, pods, clock);
            return Behaviors.same();
          })
          .onMessage(RenewLease.class, r -> {
            renew(r, leases);
            return Behaviors.same();
          })
          .onMessage(ReportPodStatus.class, r -> {
            pods.report(r.host(), r.pod(), r.status()).thenAccept(r.replyTo()::tell);
            return Behaviors.same();
          })
          .onMessage(ConfirmPodStopped.class, r -> {
            pods.confirmStopped(r.host(), r.pod(), r.finalStatus()).thenAccept(r.replyTo()::tell);
            return Behaviors.same();
          })
          .onMessage(WatchPods.class, w -> {
            stop(ctx, watches.remove(w.host()));
            ActorRef<BoundPodsWatch.Command> child = ctx.spawnAnonymous(BoundPodsWatch.create(cache, settings,
                w.host(), w.watchId(), w.fromRevision(), w.subscriber()));
            ctx.watchWith(child, new WatchEnded(w.host(), child));
            watches.put(w.host(), new Subscription(w.watchId(), child));
            return Behaviors.same();
          })
          .onMessage(StopWatching.class, s -> {
            Subscription current = watches.get(s.host());
            if (current != null && current.watchId() == s.watchId()) {
              stop(ctx, watches.remove(s.host()));
            }
            return Behaviors.same();
          })
          .onMessage(WatchEnded.class, e -> {
            watches.computeIfPresent(e.host(), (h, sub) -> sub.child().equals(e.child()) ? null : sub);
            return Behaviors.same();
          })
          .build();
    }).narrow();
  }

  private static void stop(ActorContext<?> ctx, Subscription s) {
    if (s != null) {
      ctx.unwatch(s.child());
      s.child().tell(BoundPodsWatch.Stop.INSTANCE);
    }
  }

  /**
   * Lease first, then the Host entity: a refused host must not look Ready. A failure (no quorum,
   * the entity timed out) is a refusal with a retry, never silence, so the host need not time out.
   */
  private static void register(Register r, GatewaySettings settings, HostLeases leases, HostMutations hosts,
                               PodReports pods, Clock clock) {
    String name = r.node().metadata().name();
    long retry = settings.registerRetryAfter().toMillis();
    leases.register(name, () -> pods.anyBoundTo(name)).thenCompose(outcome -> {
      if (outcome instanceof HostLeases.Outcome.Held held) {
        return hosts.register(ready(r.node(), clock)).thenApply(written -> written instanceof Outcome.Failed f
            ? new HostGatewayProtocol.RegisterRefused(name, "the Node was not stored: " + f.status().message(), retry)
            : (HostGatewayProtocol.RegisterReply) new HostGatewayProtocol.Registered(name, held.leaseId(),
                held.ttlMillis()));
      }
      long expired = ((HostLeases.Outcome.Recovering) outcome).expiredLeaseId();
      return java.util.concurrent.CompletableFuture.completedFuture(new HostGatewayProtocol.RegisterRefused(name,
          "lease " + expired + " of " + name + " expired and the control plane is still moving or failing its pods",
          retry));
    }).whenComplete((reply, failure) -> r.replyTo().tell(failure == null ? reply
        : new HostGatewayProtocol.RegisterRefused(name, "registration failed: "
            + HostLeases.cause(failure).getMessage(), retry)));
  }

  private static void renew(RenewLease r, HostLeases leases) {
    leases.renew(r.host(), r.leaseId()).thenAccept(ttl -> r.replyTo().tell(ttl.isPresent()
        ? new HostGatewayProtocol.LeaseRenewed(r.leaseId(), ttl.getAsLong())
        : new HostGatewayProtocol.LeaseLost(r.leaseId(), "the host no longer holds lease " + r.leaseId()
            + " (it expired, or the host registered again under another)")));
    // A failed renewal (no quorum) gets no answer: the host times out, tries another gateway, and fences
    // itself if none renews within its TTL — exactly the safety the lease is for.
  }

  /** The Node as registered: Ready=True, since the host holds a lease now (the lifecycle controller sets False). */
  static Node ready(Node reported, Clock clock) {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    List<NodeCondition> conditions = new ArrayList<>();
    Node.Status s = reported.status();
    if (s != null) {
      s.conditions().stream().filter(c -> !"Ready".equals(c.type())).forEach(conditions::add);
    }
    conditions.add(new NodeCondition("Ready", "True", now, now, "HostRegistered",
        "the host registered and holds its lease"));
    Node.Status status = s == null ? new Node.Status(null, (dev.pacific.api.ResourceList) null, conditions, null, null)
        : new Node.Status(s.capacity(), s.allocatable(), conditions, s.addresses(), s.daemonEndpoints());
    return new Node(reported.metadata(), reported.spec(), status);
  }
}
