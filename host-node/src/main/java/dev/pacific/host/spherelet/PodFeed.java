package dev.pacific.host.spherelet;

import dev.pacific.api.Pod;
import dev.pacific.wire.BoundPods;
import dev.pacific.wire.HostGatewayProtocol;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The pods bound to this host, as the control plane says: subscribes through the current gateway
 * and turns its {@link BoundPods} stream into {@link Change}s for the {@link Reconciler}. It keeps
 * the last registry revision it saw, so that on another gateway it resumes right after it; a
 * new lease, or a gateway asking for a resync, makes it list everything again.
 */
final class PodFeed {

  sealed interface Command {}

  record FromSession(SessionEvent event) implements Command {}

  private record Received(BoundPods.Event event) implements Command {}

  private record FirstEventDue(long watchId) implements Command {}

  /** Nothing came on subscription {@code watchId} for {@code subscription-silence}. */
  private record Silent(long watchId) implements Command {}

  private static final String SILENCE = "silence";

  /** What the reconciler hears: the whole bound set, or one pod added, changed or gone. */
  sealed interface Change {
    /** Every pod bound here now, by uid: what is not in it is not bound here. */
    record Listed(Map<String, Pod> pods) implements Change {}

    record Bound(Pod pod) implements Change {}

    record Unbound(String uid) implements Change {}
  }

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final String host;
  private final SphereletSettings settings;
  private final ActorRef<GatewaySession.Command> session;
  private final ActorRef<Change> reconciler;
  private final ActorRef<BoundPods.Event> subscriber;
  private ActorRef<HostGatewayProtocol.Request> gateway;
  private long watchId;
  /** Events after this revision are what the host has not seen yet; 0 = it must list. */
  private long lastRevision;
  private Map<String, Pod> listing;
  private boolean awaitingFirst;

  private PodFeed(ActorContext<Command> ctx, TimerScheduler<Command> timers, String host, SphereletSettings settings,
      ActorRef<GatewaySession.Command> session, ActorRef<Change> reconciler) {
    this.ctx = ctx;
    this.timers = timers;
    this.host = host;
    this.settings = settings;
    this.session = session;
    this.reconciler = reconciler;
    this.subscriber = ctx.messageAdapter(BoundPods.Event.class, Received::new);
  }

  static Behavior<Command> create(String host, SphereletSettings settings, ActorRef<GatewaySession.Command> session,
      ActorRef<Change> reconciler) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new PodFeed(ctx, timers, host, settings, session, reconciler).behavior()));
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(FromSession.class, s -> {
          onSession(s.event());
          return Behaviors.same();
        })
        .onMessage(Received.class, r -> {
          onEvent(r.event());
          return Behaviors.same();
        })
        .onMessage(FirstEventDue.class, due -> {
          if (due.watchId() == watchId && awaitingFirst && gateway != null) {
            session.tell(new GatewaySession.Suspect(gateway,
                "the pod subscription did not start within " + settings.subscribeTimeout().toMillis() + " ms"));
          }
          return Behaviors.same();
        })
        .onMessage(Silent.class, silent -> {
          if (silent.watchId() == watchId && gateway != null) {
            session.tell(new GatewaySession.Suspect(gateway, "the pod subscription sent nothing for "
                + settings.subscriptionSilence().toMillis() + " ms (not even a bookmark)"));
          }
          return Behaviors.same();
        })
        .build();
  }

  private void onSession(SessionEvent event) {
    if (event instanceof SessionEvent.Connected c) {
      if (c.newLease()) {
        lastRevision = 0;
      }
      subscribe(c.gateway());
    } else if (event instanceof SessionEvent.Disconnected) {
      gateway = null;
      watchId++; // whatever the old gateway still sends is ignored
      timers.cancelAll();
    }
  }

  private void subscribe(ActorRef<HostGatewayProtocol.Request> to) {
    if (gateway != null) {
      gateway.tell(new HostGatewayProtocol.StopWatching(host, watchId));
    }
    gateway = to;
    watchId++;
    listing = null;
    awaitingFirst = true;
    to.tell(new HostGatewayProtocol.WatchPods(host, watchId, lastRevision, subscriber));
    timers.startSingleTimer(new FirstEventDue(watchId), settings.subscribeTimeout());
    timers.cancel(SILENCE);
  }

  private void onEvent(BoundPods.Event event) {
    if (event.watchId() != watchId || gateway == null) {
      return; // a subscription the host has left
    }
    awaitingFirst = false;
    timers.startSingleTimer(SILENCE, new Silent(watchId), settings.subscriptionSilence());
    if (event instanceof BoundPods.Listed l) {
      if (listing == null) {
        listing = new LinkedHashMap<>();
      }
      l.pods().forEach(p -> listing.put(p.metadata().uid(), p));
      if (l.last()) {
        lastRevision = l.revision();
        reconciler.tell(new Change.Listed(Map.copyOf(listing)));
        listing = null;
      }
    } else if (event instanceof BoundPods.Bound b) {
      lastRevision = Math.max(lastRevision, b.revision());
      reconciler.tell(new Change.Bound(b.pod()));
    } else if (event instanceof BoundPods.Unbound u) {
      lastRevision = Math.max(lastRevision, u.revision());
      reconciler.tell(new Change.Unbound(u.uid()));
    } else if (event instanceof BoundPods.Bookmark b) {
      lastRevision = Math.max(lastRevision, b.revision());
    } else if (event instanceof BoundPods.Resync r) {
      ctx.getLog().info("gateway asked {} to list its pods again: {}", host, r.reason());
      lastRevision = 0;
      subscribe(gateway);
    }
    // BoundPods.Resumed only confirms the subscription, which any event does
  }
}
