package dev.pacific.host.spherelet;

import dev.pacific.api.Pod;
import dev.pacific.wire.BoundPods;
import dev.pacific.wire.HostGatewayProtocol;
import dev.pacific.wire.HostGatewayProtocol.ConfirmPodStopped;
import dev.pacific.wire.HostGatewayProtocol.ReportPodStatus;
import dev.pacific.wire.HostGatewayProtocol.StatusReply;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * A control-plane HostGateway as the protocol describes it, over a {@link FakeRegistry}: registered
 * with the Receptionist, answers registrations and renewals (unless told to fall silent), streams
 * a host's bound pods (the list in chunks of two, then changes by revision; resumes after a
 * revision), records statuses and confirmations. Every message to a subscriber is sent from this
 * actor, so the subscriber sees them in order, as with a real gateway.
 */
final class FakeGateway {

  /** The registry changed: push what subscribers have not seen. */
  record Changed() {}

  /** The gateway cannot go on with its subscriptions (as after compaction): hosts must list again. */
  record ForceResync() {}

  /** Forgets every subscription without a word, as a gateway that lost its watch of a host would. */
  record DropSubscriptions() {}

  private record Subscription(long watchId, ActorRef<BoundPods.Event> subscriber, long cursor) {}

  private static final int CHUNK = 2;

  final String name;
  final FakeRegistry registry;
  final AtomicBoolean answering = new AtomicBoolean(true);
  /** How long after renewing (at once) a renewal is answered: a control plane slow to answer under load. */
  final java.util.concurrent.atomic.AtomicReference<java.time.Duration> renewalAnswerDelay =
      new java.util.concurrent.atomic.AtomicReference<>(java.time.Duration.ZERO);
  final List<HostGatewayProtocol.WatchPods> watches = new CopyOnWriteArrayList<>();
  final List<String> sentKinds = new CopyOnWriteArrayList<>();

  FakeGateway(String name, FakeRegistry registry) {
    this.name = name;
    this.registry = registry;
  }

  Behavior<Object> behavior() {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      // As a real gateway does: a bookmark on every subscription now and then, changes or not.
      timers.startTimerWithFixedDelay(BookmarkTick.INSTANCE, java.time.Duration.ofMillis(500));
      ActorRef<HostGatewayProtocol.Request> self = ctx.getSelf().narrow();
      ctx.getSystem().receptionist().tell(Receptionist.register(HostGatewayProtocol.SERVICE_KEY, self));
      registry.join(ctx.getSelf());
      Map<String, Subscription> subs = new HashMap<>();
      return Behaviors.receive(Object.class)
          .onMessage(HostGatewayProtocol.Register.class, r -> {
            if (answering.get()) {
              long lease = registry.register(r.node(), System.nanoTime());
              r.replyTo().tell(new HostGatewayProtocol.Registered(r.node().metadata().name(), lease,
                  registry.ttl().toMillis()));
            }
            return Behaviors.same();
          })
          .onMessage(HostGatewayProtocol.RenewLease.class, r -> {
            if (answering.get()) {
              boolean ok = registry.renew(r.host(), r.leaseId(), System.nanoTime());
              HostGatewayProtocol.RenewReply reply = ok
                  ? new HostGatewayProtocol.LeaseRenewed(r.leaseId(), registry.ttl().toMillis())
                  : new HostGatewayProtocol.LeaseLost(r.leaseId(), "expired");
              java.time.Duration delay = renewalAnswerDelay.get();
              if (delay.isZero()) {
                r.replyTo().tell(reply);
              } else {
                ctx.scheduleOnce(delay, r.replyTo(), reply);
              }
            }
            return Behaviors.same();
          })
          .onMessage(HostGatewayProtocol.WatchPods.class, w -> {
            watches.add(w);
            subs.put(w.host(), start(w));
            return Behaviors.same();
          })
          .onMessage(HostGatewayProtocol.StopWatching.class, s -> {
            subs.computeIfPresent(s.host(), (h, sub) -> sub.watchId() == s.watchId() ? null : sub);
            return Behaviors.same();
          })
          .onMessage(ReportPodStatus.class, r -> {
            StatusReply reply = registry.recordStatus(r.host(), r.pod().uid(), r.status())
                .<StatusReply>map(rev -> new HostGatewayProtocol.StatusRecorded(r.pod().uid(), rev))
                .orElse(new HostGatewayProtocol.PodGone(r.pod().uid(), "not bound to " + r.host()));
            r.replyTo().tell(reply);
            return Behaviors.same();
          })
          .onMessage(ConfirmPodStopped.class, c -> {
            registry.confirmStopped(c.pod().uid(), c.finalStatus());
            c.replyTo().tell(new HostGatewayProtocol.StatusRecorded(c.pod().uid(), registry.revision()));
            return Behaviors.same();
          })
          .onMessage(DropSubscriptions.class, d -> {
            subs.clear();
            return Behaviors.same();
          })
          .onMessage(ForceResync.class, f -> {
            subs.values().forEach(sub -> sub.subscriber().tell(new BoundPods.Resync(sub.watchId(), "compacted")));
            subs.clear();
            return Behaviors.same();
          })
          .onMessage(Changed.class, c -> {
            subs.replaceAll((host, sub) -> push(host, sub));
            return Behaviors.same();
          })
          .onMessageEquals(BookmarkTick.INSTANCE, () -> {
            if (answering.get()) {
              subs.values().forEach(sub -> sub.subscriber().tell(new BoundPods.Bookmark(sub.watchId(), sub.cursor())));
            }
            return Behaviors.same();
          })
          .build();
    }));
  }

  private enum BookmarkTick { INSTANCE }

  /** A new subscription: the list (from 0) or a resume, then whatever changed since. */
  private Subscription start(HostGatewayProtocol.WatchPods w) {
    if (w.fromRevision() == 0) {
      FakeRegistry.Listing listing = registry.list(w.host());
      List<Pod> pods = listing.pods();
      for (int i = 0; i < pods.size() || i == 0; i += CHUNK) {
        boolean last = i + CHUNK >= pods.size();
        w.subscriber().tell(new BoundPods.Listed(w.watchId(), listing.revision(),
            pods.subList(Math.min(i, pods.size()), Math.min(i + CHUNK, pods.size())), last));
        sentKinds.add("Listed");
      }
      return push(w.host(), new Subscription(w.watchId(), w.subscriber(), listing.revision()));
    }
    w.subscriber().tell(new BoundPods.Resumed(w.watchId(), w.fromRevision()));
    sentKinds.add("Resumed");
    return push(w.host(), new Subscription(w.watchId(), w.subscriber(), w.fromRevision()));
  }

  private Subscription push(String host, Subscription sub) {
    long cursor = sub.cursor();
    for (FakeRegistry.Change c : registry.changesAfter(sub.cursor(), host)) {
      Pod p = c.pod();
      sub.subscriber().tell(c.unbound()
          ? new BoundPods.Unbound(sub.watchId(), c.revision(), p.metadata().namespace(), p.metadata().name(),
              p.metadata().uid())
          : new BoundPods.Bound(sub.watchId(), c.revision(), p));
      sentKinds.add(c.unbound() ? "Unbound" : "Bound");
      cursor = c.revision();
    }
    return new Subscription(sub.watchId(), sub.subscriber(), cursor);
  }

  /** How a test sees the gateway's requests to hosts, e.g. the revision a host resumed from. */
  static long lastFromRevision(FakeGateway g) {
    return g.watches.isEmpty() ? -1 : g.watches.get(g.watches.size() - 1).fromRevision();
  }
}
