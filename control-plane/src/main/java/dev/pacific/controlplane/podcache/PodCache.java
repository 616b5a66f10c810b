package dev.pacific.controlplane.podcache;

import dev.pacific.api.Pod;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.RegistryKeys;
import dev.pacific.controlplane.persistence.RegistryReader;
import dev.pacific.controlplane.persistence.ResourceKind;
import dev.pacific.controlplane.quorum.QuorumKv;
import dev.pacific.controlplane.quorum.WatchEvent;
import dev.pacific.controlplane.quorum.store.KeyRange;
import dev.pacific.controlplane.quorum.store.KvCommand;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A control-plane member's cache of every pod in the registry, after the Kubernetes API server's watch cache: one
 * paged list and one watch per member, each pod decoded once, instead of a list and a watch of every pod for each
 * host's subscription, host reconcile and lifecycle sweep (at 10,000 pods each such list was some 20 MB read on the
 * quorum member's own thread).
 *
 * <p><b>Consistent reads.</b> A read first learns the quorum's current revision (a linearizable read of one key) and
 * answers once this cache has seen everything up to it, as KEP-2340's consistent reads from cache do. The cache's
 * watch carries progress marks ({@link RegistryReader#follow}), so it reaches a revision even when the latest changes
 * were not pods. A read therefore sees every write acknowledged before it began, as a read from the quorum would.
 *
 * <p><b>Subscriptions by host.</b> {@link #subscribe} serves what a host's pod subscription needs: the pods bound to
 * it, then each one bound, changed or gone. Pods that left a host are remembered (up to {@code departures-kept}), so a
 * host moving here from another member's gateway resumes from its last revision; one that asks from before what is
 * remembered gets the whole list. A change that only touches a pod's status is the host's own report coming back and
 * is not sent to it.
 *
 * <p>Events reach a subscriber's sink in revision order, from the cache's lock: the sink must only hand them on (an
 * actor's {@code tell}).
 */
public final class PodCache {

  private static final Logger LOG = LoggerFactory.getLogger(PodCache.class);
  private static final KeyRange PODS = KeyRange.prefix(RegistryKeys.prefix(ResourceKind.PODS));

  /** What a host's subscription hears, in revision order. */
  public sealed interface Event {
    /** Every pod bound to the host as of {@code revision}: what is not in it is not bound there. */
    record Listed(long revision, List<Pod> pods) implements Event {}

    /** The subscription resumed after {@code revision}; the changes since follow. */
    record Resumed(long revision) implements Event {}

    /** The pod is bound to the host, new or changed (its resourceVersion is {@code revision}). */
    record Bound(long revision, Pod pod) implements Event {}

    /** The pod left the host (deleted, moved, or replaced by another of its name). */
    record Unbound(long revision, String namespace, String name, String uid) implements Event {}

    /** Nothing for the host changed up to {@code revision} beyond what was sent (sent on request, moved or not). */
    record Progress(long revision) implements Event {}

    /** The subscription could not start (no quorum, or this member too far behind); subscribe again. */
    record Unavailable(String reason) implements Event {}
  }

  /** A host's subscription: ask for a {@link Event.Progress}, or end it. */
  public interface Subscription {
    void progress();

    void cancel();
  }

  private record Departure(String node, String uid, long revision, String namespace, String name) {}

  private final ActorSystem<?> system;
  private final RegistryReader reader;
  private final Supplier<CompletionStage<Long>> quorumRevision;
  private final PodCacheSettings settings;

  // Everything below is guarded by this.
  private final Map<ObjectRef, Pod> pods = new HashMap<>();
  private final Map<String, List<Sub>> subscribers = new HashMap<>();
  /** Per host, the pods that left it, by uid. */
  private final Map<String, Map<String, Departure>> departed = new HashMap<>();
  /** Every departure in the order it happened, to forget the oldest. */
  private final Deque<Departure> departures = new ArrayDeque<>();
  private final TreeMap<Long, List<CompletableFuture<Long>>> waiters = new TreeMap<>();
  private final CompletableFuture<Long> listed = new CompletableFuture<>();
  /** Everything up to here is in the cache. */
  private long revision;
  /** A subscription can resume only after this: what left a host at or before it is not remembered. */
  private long floor;
  private UniqueKillSwitch following;
  private boolean stopped;

  PodCache(ActorSystem<?> system, RegistryReader reader, Supplier<CompletionStage<Long>> quorumRevision,
           PodCacheSettings settings) {
    this.system = system;
    this.reader = reader;
    this.quorumRevision = quorumRevision;
    this.settings = settings;
  }

  /** Starts this member's cache: lists the registry's pods, then follows them. */
  public static PodCache start(ActorSystem<?> system, RegistryReader reader, QuorumKv kv, PodCacheSettings settings) {
    PodCache cache = new PodCache(system, reader,
        () -> kv.range(PODS, KvCommand.LATEST, 1).thenApply(r -> r.revision()), settings);
    cache.list(1);
    return cache;
  }

  /** Every pod bound to {@code node} (terminating and finished ones included), as of a consistent read. */
  public CompletionStage<List<Pod>> onNode(String node) {
    return matching(p -> node.equals(nodeOf(p)));
  }

  /** Every pod bound to one of {@code nodes}, as of a consistent read. */
  public CompletionStage<List<Pod>> onNodes(Set<String> nodes) {
    return matching(p -> nodes.contains(nodeOf(p)));
  }

  /** Every pod in {@code namespace}, as of a consistent read. */
  public CompletionStage<List<Pod>> inNamespace(String namespace) {
    return matching(p -> namespace.equals(p.metadata().namespace()));
  }

  /** The pods that pass {@code test}, each with its resourceVersion, once the cache is at the quorum's revision. */
  private CompletionStage<List<Pod>> matching(Predicate<Pod> test) {
    return consistent().thenApply(at -> {
      synchronized (this) {
        return pods.values().stream().filter(test).toList();
      }
    });
  }

  /** The revision this cache has seen everything up to. */
  private synchronized long revision() {
    return revision;
  }

  /**
   * Subscribes {@code sink} to the pods bound to {@code node}: after {@code after} (0: a list first, as of a
   * consistent read), then as they change. The sink is called from the cache's lock, in revision order.
   */
  public Subscription subscribe(String node, long after, Consumer<Event> sink) {
    Sub sub = new Sub(node, sink);
    CompletionStage<Long> ready = after == 0 ? consistent() : listed;
    ready.whenComplete((at, failure) -> {
      if (failure != null) {
        sub.unavailable("the pod cache could not catch up with the quorum: " + cause(failure).getMessage());
      } else {
        start(sub, after);
      }
    });
    return sub;
  }

  /** Stops following the registry; reads and subscriptions wait no more. */
  public void stop() {
    List<CompletableFuture<Long>> failed = new ArrayList<>();
    synchronized (this) {
      stopped = true;
      if (following != null) {
        following.shutdown();
      }
      waiters.values().forEach(failed::addAll);
      waiters.clear();
    }
    failed.forEach(w -> w.completeExceptionally(new IllegalStateException("the pod cache stopped")));
  }

  /** Completes with the cache's revision once it has seen the quorum's current one. */
  CompletionStage<Long> consistent() {
    return quorumRevision.get().thenCompose(this::reached);
  }

  /** Completes once the cache has seen everything up to {@code wanted}, or fails after {@code catch-up-timeout}. */
  CompletionStage<Long> reached(long wanted) {
    synchronized (this) {
      if (listed.isDone() && revision >= wanted) {
        return CompletableFuture.completedFuture(revision);
      }
      if (stopped) {
        return CompletableFuture.failedFuture(new IllegalStateException("the pod cache stopped"));
      }
      CompletableFuture<Long> waiter = new CompletableFuture<>();
      waiters.computeIfAbsent(wanted, w -> new ArrayList<>()).add(waiter);
      return waiter.orTimeout(settings.catchUpTimeout().toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(e -> {
        synchronized (this) {
          List<CompletableFuture<Long>> at = waiters.get(wanted);
          if (at != null && at.remove(waiter) && at.isEmpty()) {
            waiters.remove(wanted);
          }
        }
        return CompletableFuture.failedFuture(e instanceof java.util.concurrent.TimeoutException
            ? new IllegalStateException("this member's pod cache did not reach revision " + wanted + " within "
                + settings.catchUpTimeout().toMillis() + " ms (it is at " + revision() + ")") : e);
      });
    }
  }

  private void start(Sub sub, long after) {
    synchronized (this) {
      if (sub.cancelled || stopped) {
        return;
      }
      subscribers.computeIfAbsent(sub.node, n -> new ArrayList<>()).add(sub);
      if (after == 0 || after < floor) {
        sub.after = revision;
        sub.sink.accept(new Event.Listed(revision, boundTo(sub.node)));
        return;
      }
      sub.after = after;
      sub.sink.accept(new Event.Resumed(after));
      // Departures first: a pod that left and came back is no longer among them (see bound).
      for (Departure d : departed.getOrDefault(sub.node, Map.of()).values()) {
        if (d.revision() > after) {
          sub.sink.accept(new Event.Unbound(d.revision(), d.namespace(), d.name(), d.uid()));
        }
      }
      for (Pod p : boundTo(sub.node)) {
        long modified = Long.parseLong(p.metadata().resourceVersion());
        if (modified > after) {
          sub.sink.accept(new Event.Bound(modified, p));
        }
      }
    }
  }

  private List<Pod> boundTo(String node) {
    List<Pod> out = new ArrayList<>();
    for (Pod p : pods.values()) {
      if (node.equals(nodeOf(p))) {
        out.add(p);
      }
    }
    return out;
  }

  /** Lists every pod at one revision, a page at a time, then follows from there; again after a failure. */
  private void list(int attempt) {
    readFrom(PODS, 0, new ArrayList<>()).whenComplete((read, failure) -> {
      if (failure != null) {
        if (attempt == 1 || attempt % 10 == 0) {
          LOG.info("pod cache: listing the registry's pods failed ({}); trying again every {} ms (attempt {})",
              cause(failure).getMessage(), settings.relistBackoff().toMillis(), attempt);
        }
        later(() -> list(attempt + 1));
      } else {
        install(read);
      }
    });
  }

  private record Read(long revision, List<RegistryReader.Record> records) {}

  private CompletionStage<Read> readFrom(KeyRange range, long at, List<RegistryReader.Record> into) {
    return reader.page(range, at, settings.pageSize()).thenCompose(page -> {
      into.addAll(page.records());
      if (!page.more() || page.lastKey() == null) {
        return CompletableFuture.completedFuture(new Read(page.revision(), into));
      }
      return readFrom(range.after(page.lastKey()), page.revision(), into);
    });
  }

  private void install(Read read) {
    List<CompletableFuture<Long>> ready;
    synchronized (this) {
      if (stopped) {
        return;
      }
      pods.clear();
      for (RegistryReader.Record r : read.records()) {
        if (r.state().object() instanceof Pod p) {
          pods.put(r.ref(), withRevision(p, r.modRevision()));
        }
      }
      revision = read.revision();
      floor = revision; // what left a host before the list is not known
      departed.clear();
      departures.clear();
      // Subscribers may have missed changes while the watch was down: each gets its host's pods whole.
      subscribers.forEach((node, subs) -> {
        List<Pod> bound = boundTo(node);
        subs.forEach(s -> {
          s.after = revision;
          s.sink.accept(new Event.Listed(revision, bound));
        });
      });
      var running = reader.follow(PODS, revision)
          .viaMat(KillSwitches.single(), Keep.right())
          .toMat(Sink.foreach(this::apply), Keep.both())
          .run(system);
      following = running.first();
      running.second().whenComplete((done, failure) -> {
        synchronized (this) {
          if (stopped) {
            return;
          }
        }
        LOG.warn("pod cache: the registry watch {}; listing again", failure == null ? "ended"
            : "failed (" + failure.getMessage() + ")");
        later(() -> list(1));
      });
      ready = due();
      LOG.info("pod cache: {} pods at revision {}", pods.size(), revision);
    }
    listed.complete(read.revision());
    ready.forEach(w -> w.complete(read.revision()));
  }

  /** One revision of pod changes, or a progress mark. */
  private void apply(RegistryReader.Revision batch) {
    List<CompletableFuture<Long>> ready;
    synchronized (this) {
      for (RegistryReader.Change change : batch.changes()) {
        apply(change);
      }
      revision = Math.max(revision, batch.revision());
      ready = due();
    }
    long at = batch.revision();
    ready.forEach(w -> w.complete(at));
  }

  private void apply(RegistryReader.Change change) {
    ObjectRef ref = change.record().ref();
    long at = change.record().modRevision();
    Pod now = change.type() != WatchEvent.Type.DELETED && change.record().state().object() instanceof Pod p
        ? withRevision(p, at) : null;
    Pod before = now == null ? pods.remove(ref) : pods.put(ref, now);
    String was = nodeOf(before);
    String is = nodeOf(now);
    boolean replaced = before != null && now != null && !Objects.equals(uid(before), uid(now));
    if (was != null && (!was.equals(is) || replaced)) {
      depart(was, before, at);
    }
    if (is != null) {
      Map<String, Departure> gone = departed.get(is);
      if (gone != null) {
        gone.remove(uid(now)); // it is back: a resume must not hear that it left
      }
      if (before == null || !is.equals(was) || replaced || !sameButStatus(before, now)) {
        deliver(is, new Event.Bound(at, now));
      }
    }
  }

  private void depart(String node, Pod pod, long at) {
    Departure d = new Departure(node, uid(pod), at, pod.metadata().namespace(), pod.metadata().name());
    departed.computeIfAbsent(node, n -> new LinkedHashMap<>()).put(d.uid(), d);
    departures.addLast(d);
    while (departures.size() > settings.departuresKept()) {
      Departure oldest = departures.removeFirst();
      Map<String, Departure> of = departed.get(oldest.node());
      if (of != null && of.get(oldest.uid()) == oldest) {
        of.remove(oldest.uid());
      }
      floor = Math.max(floor, oldest.revision());
    }
    deliver(node, new Event.Unbound(at, d.namespace(), d.name(), d.uid()));
  }

  private void deliver(String node, Event event) {
    List<Sub> subs = subscribers.get(node);
    if (subs == null) {
      return;
    }
    long at = event instanceof Event.Bound b ? b.revision() : ((Event.Unbound) event).revision();
    for (Sub s : subs) {
      if (at > s.after) {
        s.sink.accept(event);
      }
    }
  }

  /** Takes the waiters the current revision satisfies; they are completed outside the lock. */
  private List<CompletableFuture<Long>> due() {
    if (waiters.isEmpty() || waiters.firstKey() > revision) {
      return List.of();
    }
    List<CompletableFuture<Long>> ready = new ArrayList<>();
    Map<Long, List<CompletableFuture<Long>>> head = waiters.headMap(revision, true);
    head.values().forEach(ready::addAll);
    head.clear();
    return ready;
  }

  private void later(Runnable r) {
    synchronized (this) {
      if (stopped) {
        return;
      }
    }
    system.scheduler().scheduleOnce(settings.relistBackoff(), r, system.executionContext());
  }

  private final class Sub implements Subscription {
    final String node;
    final Consumer<Event> sink;
    long after;
    boolean cancelled;

    Sub(String node, Consumer<Event> sink) {
      this.node = node;
      this.sink = sink;
    }

    @Override
    public void progress() {
      synchronized (PodCache.this) {
        if (!cancelled && subscribers.getOrDefault(node, List.of()).contains(this)) {
          sink.accept(new Event.Progress(Math.max(revision, after)));
        }
      }
    }

    @Override
    public void cancel() {
      synchronized (PodCache.this) {
        cancelled = true;
        List<Sub> subs = subscribers.get(node);
        if (subs != null && subs.remove(this) && subs.isEmpty()) {
          subscribers.remove(node);
        }
      }
    }

    void unavailable(String reason) {
      synchronized (PodCache.this) {
        if (!cancelled) {
          sink.accept(new Event.Unavailable(reason));
        }
      }
    }
  }

  private static String nodeOf(Pod p) {
    return p == null || p.spec() == null ? null : p.spec().nodeName();
  }

  private static String uid(Pod p) {
    return p.metadata().uid();
  }

  private static boolean sameButStatus(Pod a, Pod b) {
    return Objects.equals(a.spec(), b.spec())
        && Objects.equals(a.metadata().withResourceVersion(null), b.metadata().withResourceVersion(null));
  }

  private static Pod withRevision(Pod p, long revision) {
    return p.withMetadata(p.metadata().withResourceVersion(Long.toString(revision)));
  }

  private static Throwable cause(Throwable t) {
    return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
  }
}
