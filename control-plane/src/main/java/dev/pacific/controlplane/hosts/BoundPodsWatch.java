package dev.pacific.controlplane.hosts;

import dev.pacific.api.Json;
import dev.pacific.api.Pod;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.RegistryKeys;
import dev.pacific.controlplane.persistence.RegistryReader;
import dev.pacific.controlplane.persistence.ResourceKind;
import dev.pacific.controlplane.quorum.WatchEvent;
import dev.pacific.controlplane.quorum.store.KeyRange;
import dev.pacific.wire.BoundPods;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * One host's subscription to the pods bound to it ({@code spec.nodeName}), as a gateway serves it:
 * the list (or the set as of the resume revision, read but not sent), then the registry's pod
 * changes after it, turned into {@link BoundPods} events. Every event leaves this one actor, so the
 * host sees them in order. A pod that leaves the host (deleted, moved) is {@link BoundPods.Unbound},
 * which needs the set of pods bound here, kept by key.
 */
final class BoundPodsWatch {

  sealed interface Command {}

  private record Seeded(long revision, List<Pod> bound, boolean resumed) implements Command {}

  private record Changed(RegistryReader.Change change) implements Command {}

  private record Ended(Throwable failure) implements Command {}

  private enum Bookmark implements Command { TICK }

  /** Sent by the gateway when the host leaves this subscription; also used when the subscriber dies. */
  enum Stop implements Command { INSTANCE }

  private static final byte[] PODS = RegistryKeys.prefix(ResourceKind.PODS);

  private final ActorContext<Command> ctx;
  private final RegistryReader reader;
  private final GatewaySettings settings;
  private final String host;
  private final long watchId;
  private final ActorRef<BoundPods.Event> subscriber;
  /** What the host was last told of each pod bound here, by registry key. */
  private final Map<String, Pod> bound = new HashMap<>();
  private long seen;
  private long bookmarked;
  private UniqueKillSwitch kill;

  private BoundPodsWatch(ActorContext<Command> ctx, RegistryReader reader, GatewaySettings settings, String host,
                         long watchId, ActorRef<BoundPods.Event> subscriber) {
    this.ctx = ctx;
    this.reader = reader;
    this.settings = settings;
    this.host = host;
    this.watchId = watchId;
    this.subscriber = subscriber;
  }

  static Behavior<Command> create(RegistryReader reader, GatewaySettings settings, String host, long watchId,
                                  long fromRevision, ActorRef<BoundPods.Event> subscriber) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      ctx.watchWith(subscriber, Stop.INSTANCE);
      BoundPodsWatch w = new BoundPodsWatch(ctx, reader, settings, host, watchId, subscriber);
      if (fromRevision > 0 && fromRevision < reader.compactedRevision()) {
        return w.resync("revision " + fromRevision + " is compacted (history is kept after revision "
            + reader.compactedRevision() + "): list again");
      }
      ctx.pipeToSelf(w.read(fromRevision), (pods, failure) -> failure != null ? new Ended(failure) : pods);
      return w.seeding(timers);
    }));
  }

  /** Reads the pods bound here at {@code revision} (0: now), every page at the first page's revision. */
  private CompletionStage<Command> read(long revision) {
    return readFrom(KeyRange.prefix(PODS), revision, new ArrayList<>())
        .thenApply(r -> new Seeded(r.revision(), r.pods(), revision > 0));
  }

  private record Read(long revision, List<Pod> pods) {}

  private CompletionStage<Read> readFrom(KeyRange range, long revision, List<Pod> acc) {
    return reader.page(range, revision, 500).thenCompose(page -> {
      for (RegistryReader.Record r : page.records()) {
        if (r.state().object() instanceof Pod p && host.equals(p.spec().nodeName())) {
          acc.add(withRevision(p, r.modRevision()));
        }
      }
      if (!page.more() || page.lastKey() == null) {
        return java.util.concurrent.CompletableFuture.completedFuture(new Read(page.revision(), acc));
      }
      return readFrom(range.after(page.lastKey()), page.revision(), acc);
    });
  }

  private Behavior<Command> seeding(TimerScheduler<Command> timers) {
    return Behaviors.receive(Command.class)
        .onMessage(Seeded.class, s -> {
          seen = s.revision();
          bookmarked = seen;
          s.bound().forEach(p -> bound.put(key(p), p));
          if (s.resumed()) {
            subscriber.tell(new BoundPods.Resumed(watchId, s.revision()));
          } else {
            sendList(s.revision(), s.bound());
          }
          kill = reader.watch(KeyRange.prefix(PODS), s.revision())
              .viaMat(KillSwitches.single(), Keep.right())
              .toMat(Sink.foreach(c -> ctx.getSelf().tell(new Changed(c))), Keep.both())
              .mapMaterializedValue(p -> {
                p.second().whenComplete((done, failure) -> ctx.getSelf().tell(new Ended(failure)));
                return p.first();
              })
              .run(ctx.getSystem());
          timers.startTimerWithFixedDelay(Bookmark.TICK, settings.bookmarkInterval());
          return following();
        })
        .onMessage(Ended.class, e -> resync("reading the registry failed: " + e.failure()))
        .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
        .build();
  }

  private Behavior<Command> following() {
    return Behaviors.receive(Command.class)
        .onMessage(Changed.class, c -> {
          onChange(c.change());
          return Behaviors.same();
        })
        .onMessageEquals(Bookmark.TICK, () -> {
          if (seen > bookmarked) {
            bookmarked = seen;
            subscriber.tell(new BoundPods.Bookmark(watchId, seen));
          }
          return Behaviors.same();
        })
        .onMessage(Ended.class, e -> resync(e.failure() == null ? "the registry watch ended"
            : "the registry watch failed: " + e.failure().getMessage()))
        .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
        .onSignal(PostStop.class, s -> {
          kill.shutdown();
          return Behaviors.same();
        })
        .build();
  }

  private void onChange(RegistryReader.Change change) {
    long revision = change.record().modRevision();
    seen = Math.max(seen, revision);
    if (!(change.record().state().object() instanceof Pod pod)) {
      return;
    }
    String key = change.record().ref().entityId();
    Pod before = bound.get(key);
    boolean here = change.type() != WatchEvent.Type.DELETED && host.equals(pod.spec().nodeName());
    if (here) {
      Pod now = withRevision(pod, revision);
      bound.put(key, now);
      // A change of status only is the host's own report coming back: it need not hear it.
      if (before == null || !sameButStatus(before, now)) {
        subscriber.tell(new BoundPods.Bound(watchId, revision, now));
        bookmarked = Math.max(bookmarked, revision);
      }
    } else if (before != null) {
      bound.remove(key);
      subscriber.tell(new BoundPods.Unbound(watchId, revision, before.metadata().namespace(),
          before.metadata().name(), before.metadata().uid()));
      bookmarked = Math.max(bookmarked, revision);
    }
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

  private static boolean sameButStatus(Pod a, Pod b) {
    return Objects.equals(a.spec(), b.spec())
        && Objects.equals(a.metadata().withResourceVersion(null), b.metadata().withResourceVersion(null));
  }

  private static Pod withRevision(Pod p, long revision) {
    return p.withMetadata(p.metadata().withResourceVersion(Long.toString(revision)));
  }

  private static String key(Pod p) {
    return new ObjectRef(ResourceKind.PODS, p.metadata().namespace(), p.metadata().name()).entityId();
  }
}
