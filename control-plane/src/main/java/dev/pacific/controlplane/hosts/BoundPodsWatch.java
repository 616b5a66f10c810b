package dev.pacific.controlplane.hosts;

import dev.pacific.api.Json;
import dev.pacific.api.Pod;
import dev.pacific.controlplane.podcache.PodCache;
import dev.pacific.wire.BoundPods;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * One host's subscription to the pods bound to it ({@code spec.nodeName}), as a gateway serves it from this member's
 * {@link PodCache}: the list (or, resuming, the changes after the host's last revision), then each pod bound, changed
 * or gone, turned into {@link BoundPods} events. Every event leaves this one actor, so the host sees them in order.
 */
final class BoundPodsWatch {

  sealed interface Command {}

  private record FromCache(PodCache.Event event) implements Command {}

  private enum Bookmark implements Command { TICK }

  /** Sent by the gateway when the host leaves this subscription. */
  enum Stop implements Command { INSTANCE }

  /** The subscriber died (or its member was taken for dead). */
  private enum SubscriberGone implements Command { INSTANCE }

  private final ActorContext<Command> ctx;
  private final GatewaySettings settings;
  private final String host;
  private final long watchId;
  private final ActorRef<BoundPods.Event> subscriber;
  private long bookmarked;

  private BoundPodsWatch(ActorContext<Command> ctx, GatewaySettings settings, String host, long watchId,
                         ActorRef<BoundPods.Event> subscriber) {
    this.ctx = ctx;
    this.settings = settings;
    this.host = host;
    this.watchId = watchId;
    this.subscriber = subscriber;
  }

  static Behavior<Command> create(PodCache cache, GatewaySettings settings, String host, long watchId,
                                  long fromRevision, ActorRef<BoundPods.Event> subscriber) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      ctx.watchWith(subscriber, SubscriberGone.INSTANCE);
      BoundPodsWatch w = new BoundPodsWatch(ctx, settings, host, watchId, subscriber);
      ActorRef<Command> self = ctx.getSelf();
      PodCache.Subscription subscription = cache.subscribe(host, fromRevision, e -> self.tell(new FromCache(e)));
      timers.startTimerWithFixedDelay(Bookmark.TICK, settings.bookmarkInterval());
      return w.following(subscription);
    }));
  }

  private Behavior<Command> following(PodCache.Subscription subscription) {
    return Behaviors.receive(Command.class)
        .onMessage(FromCache.class, c -> onEvent(c.event()))
        .onMessageEquals(Bookmark.TICK, () -> {
          subscription.progress(); // answered in order with the events, as a Progress
          return Behaviors.same();
        })
        .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
        .onMessageEquals(SubscriberGone.INSTANCE, () -> {
          ctx.getLog().info("pod watch {} of {} ends: its subscriber {} is gone", watchId, host, subscriber);
          return Behaviors.stopped();
        })
        .onSignal(PostStop.class, s -> {
          subscription.cancel();
          return Behaviors.same();
        })
        .build();
  }

  private Behavior<Command> onEvent(PodCache.Event event) {
    if (event instanceof PodCache.Event.Listed l) {
      bookmarked = l.revision();
      sendList(l.revision(), l.pods());
    } else if (event instanceof PodCache.Event.Resumed r) {
      bookmarked = r.revision();
      subscriber.tell(new BoundPods.Resumed(watchId, r.revision()));
    } else if (event instanceof PodCache.Event.Bound b) {
      bookmarked = Math.max(bookmarked, b.revision());
      subscriber.tell(new BoundPods.Bound(watchId, b.revision(), b.pod()));
    } else if (event instanceof PodCache.Event.Unbound u) {
      bookmarked = Math.max(bookmarked, u.revision());
      subscriber.tell(new BoundPods.Unbound(watchId, u.revision(), u.namespace(), u.name(), u.uid()));
    } else if (event instanceof PodCache.Event.Progress p) {
      // Sent whether or not the revision moved: the host takes a subscription silent for long as lost.
      bookmarked = Math.max(bookmarked, p.revision());
      subscriber.tell(new BoundPods.Bookmark(watchId, bookmarked));
    } else if (event instanceof PodCache.Event.Unavailable u) {
      return resync(u.reason());
    }
    return Behaviors.same();
  }

  /** The list in chunks of about {@code list-chunk-bytes} of JSON each, under Artery's frame size. */
  private void sendList(long revision, List<Pod> pods) {
    List<Pod> chunk = new ArrayList<>();
    long bytes = 0;
    for (Pod p : pods) {
      long size = Json.write(p).length;
      if (!chunk.isEmpty() && bytes + size > settings.listChunkBytes()) {
        subscriber.tell(new BoundPods.Listed(watchId, revision, chunk, false));
        chunk = new ArrayList<>();
        bytes = 0;
      }
      chunk.add(p);
      bytes += size;
    }
    subscriber.tell(new BoundPods.Listed(watchId, revision, chunk, true));
  }

  private Behavior<Command> resync(String reason) {
    ctx.getLog().info("pod watch {} of {} ends: {}", watchId, host, reason);
    subscriber.tell(new BoundPods.Resync(watchId, reason));
    return Behaviors.stopped();
  }
}
