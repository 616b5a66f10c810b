package dev.pacific.controlplane.scheduler;

import dev.pacific.api.Pod;
import dev.pacific.api.PodStatus;
import dev.pacific.controlplane.entities.HostEntity;
import dev.pacific.controlplane.entities.HostMutations;
import dev.pacific.controlplane.entities.Mutations.Outcome;
import dev.pacific.controlplane.entities.PodMutations;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.RegistryKeys;
import dev.pacific.controlplane.persistence.RegistryReader;
import dev.pacific.controlplane.persistence.ResourceKind;
import dev.pacific.controlplane.quorum.WatchEvent;
import dev.pacific.controlplane.quorum.store.KeyRange;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The one active scheduler (run under {@code LeaseElection "scheduler"}): lists pods and nodes at a
 * revision, follows both from there, and places every Pending pod without a host.
 *
 * <p>It works in batches, for throughput: a burst of pending pods is placed at once, each decision
 * counted against its host before the next ({@link HostView#with}), then carried out
 * ({@link Binding}: reserve on the host entity, bind the pod) with bounded parallelism. A host that
 * refuses a reservation is crossed off for that pod and the pod placed again. A pod that fits
 * nowhere gets {@code PodScheduled=False}, reason {@code Unschedulable}, with Placement's message
 * (written only when it changes), and waits until the cluster changes or {@code retry-interval}.
 *
 * <p>A watch that fails (history compacted, watcher too slow) restarts the actor, which lists again.
 */
public final class Scheduler {

  public interface Command {}

  private record Listed(RegistryReader.Page pods, RegistryReader.Page nodes) implements Command {}

  private record Changed(boolean node, RegistryReader.Change change) implements Command {}

  private record WatchFailed(Throwable error) implements Command {}

  private enum Kick implements Command { INSTANCE }

  private enum RetryParked implements Command { INSTANCE }

  private record Attempted(ObjectRef ref, Pod pod, String host, Binding.Result result) implements Command {}

  private record Decided(ObjectRef ref, Pod pod, String host) {}

  /** A bind of {@code ref} went unanswered a while ago: if the feed has not shown it bound since, place it again. */
  private record Recheck(ObjectRef ref) implements Command {}

  private final ActorContext<Command> ctx;
  /**
   * The context's logger, taken once: {@code log} may only be called on the actor's own thread, and
   * some lines are logged from future callbacks (Pekko throws there, and the callback's work is lost).
   */
  private final org.slf4j.Logger log;
  private final TimerScheduler<Command> timers;
  private final RegistryReader reader;
  private final PodMutations pods;
  private final HostMutations hosts;
  private final SchedulerSettings settings;
  private final Binding binding;
  private final HostRefusals refusals = new HostRefusals();
  private final Placement placement;
  private final ClusterView view = new ClusterView();
  private final RegistryFeed feed;
  /** Unschedulable pods and the generation they failed at; retried once it moves. */
  private final Map<ObjectRef, Long> parked = new HashMap<>();
  /** The Unschedulable message last written per pod, so an unchanged one is not written again. */
  private final Map<ObjectRef, String> written = new HashMap<>();
  private final Deque<Decided> toIssue = new ArrayDeque<>();
  private int inFlight;
  private boolean listed;
  /** Placements from this many on are a burst, logged at INFO with their timings; fewer go to DEBUG. */
  private static final int BURST = 50;
  /**
   * When the placements being carried out began, and how many there are (kicks while earlier ones are still in
   * flight add to them): one log line per burst says how it went.
   */
  private long batchStarted;
  private int batchSize;

  public static Behavior<Command> create(RegistryReader reader, PodMutations pods, HostMutations hosts,
                                         SchedulerSettings settings) {
    return create(reader, pods, hosts, settings, pods::bind);
  }

  /** As {@link #create(RegistryReader, PodMutations, HostMutations, SchedulerSettings)}, binding through {@code binder}. */
  static Behavior<Command> create(RegistryReader reader, PodMutations pods, HostMutations hosts,
                                  SchedulerSettings settings, Binding.PodBinder binder) {
    Behavior<Command> scheduler = Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new Scheduler(ctx, timers, reader, pods, hosts, settings, binder).start()));
    return Behaviors.supervise(scheduler).onFailure(SupervisorStrategy.restartWithBackoff(
        settings.failureBackoff(), settings.retryInterval(), 0.2));
  }

  private Scheduler(ActorContext<Command> ctx, TimerScheduler<Command> timers, RegistryReader reader,
                    PodMutations pods, HostMutations hosts, SchedulerSettings settings, Binding.PodBinder binder) {
    this.ctx = ctx;
    this.log = ctx.getLog();
    this.timers = timers;
    this.reader = reader;
    this.pods = pods;
    this.hosts = hosts;
    this.settings = settings;
    this.binding = new Binding(hosts, binder);
    this.placement = Placement.standard().withFilter(refusals);
    this.feed = new RegistryFeed(ctx.getSystem(), reader);
  }

  private Behavior<Command> start() {
    ctx.pipeToSelf(reader.page(KeyRange.prefix(RegistryKeys.prefix(ResourceKind.PODS)), 0, 0)
            .thenCompose(p -> reader.page(KeyRange.prefix(RegistryKeys.prefix(ResourceKind.NODES)), p.revision(), 0)
                .thenApply(n -> new Listed(p, n))),
        (listed, error) -> error != null ? new WatchFailed(error) : listed);
    timers.startTimerWithFixedDelay(RetryParked.INSTANCE, settings.retryInterval());
    return Behaviors.receive(Command.class)
        .onMessage(Listed.class, this::onListed)
        .onMessage(Changed.class, this::onChanged)
        .onMessage(WatchFailed.class, w -> {
          throw new IllegalStateException("the registry feed failed; listing again", w.error());
        })
        .onMessageEquals(Kick.INSTANCE, this::onKick)
        .onMessageEquals(RetryParked.INSTANCE, this::onRetryParked)
        .onMessage(Attempted.class, this::onAttempted)
        .onMessage(Recheck.class, this::onRecheck)
        .onSignal(PreRestart.class, s -> stopFeed())
        .onSignal(PostStop.class, s -> stopFeed())
        .build();
  }

  private Behavior<Command> stopFeed() {
    feed.stop();
    return Behaviors.same();
  }

  private Behavior<Command> onListed(Listed l) {
    l.nodes().records().forEach(r -> view.node(WatchEvent.Type.ADDED, r));
    l.pods().records().forEach(r -> view.pod(WatchEvent.Type.ADDED, r));
    long from = l.pods().revision();
    feed.follow(ResourceKind.NODES, from, c -> ctx.getSelf().tell(new Changed(true, c)),
        e -> ctx.getSelf().tell(new WatchFailed(e)));
    feed.follow(ResourceKind.PODS, from, c -> ctx.getSelf().tell(new Changed(false, c)),
        e -> ctx.getSelf().tell(new WatchFailed(e)));
    listed = true;
    log.info("scheduler: {} nodes, {} pods at revision {}", l.nodes().records().size(),
        l.pods().records().size(), from);
    return kickSoon();
  }

  private Behavior<Command> onChanged(Changed c) {
    long before = view.generation();
    if (c.node()) {
      view.node(c.change().type(), c.change().record());
    } else {
      String left = view.pod(c.change().type(), c.change().record());
      if (left != null) {
        release(left, c.change().record());
      }
      if (c.change().type() == WatchEvent.Type.DELETED) {
        parked.remove(c.change().record().ref());
        written.remove(c.change().record().ref());
      }
    }
    if (view.generation() != before) {
      refusals.clear(); // the hosts' state moved: a refusal may no longer hold
    }
    return kickSoon();
  }

  /**
   * Frees what a pod that left {@code host} held there, as soon as the scheduler sees it go: the host's reconcile
   * would free it only after its interval and grace (up to a minute), refusing new pods for room that is free.
   * Idempotent; a release that fails is left to that reconcile.
   */
  private void release(String host, RegistryReader.Record record) {
    Pod last = (Pod) record.state().object();
    if (last == null || last.metadata().uid() == null) {
      return;
    }
    hosts.release(host, last.metadata().uid()).whenComplete((reply, error) -> {
      if (error != null || reply instanceof HostEntity.Failed) {
        log.debug("scheduler: releasing {} on {} failed ({}); the host's reconcile frees it", record.ref(), host,
            error != null ? error : reply);
      }
    });
  }

  private Behavior<Command> kickSoon() {
    if (listed && !timers.isTimerActive(Kick.INSTANCE)) {
      timers.startSingleTimer(Kick.INSTANCE, Kick.INSTANCE, settings.batchDelay());
    }
    return Behaviors.same();
  }

  /** Places one batch against the view, each decision seen by the next, and queues them. */
  private Behavior<Command> onKick() {
    if (!toIssue.isEmpty()) {
      return Behaviors.same(); // the previous batch is still being carried out; its completions kick again
    }
    List<HostView> hosts = new ArrayList<>(view.hosts());
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < hosts.size(); i++) {
      index.put(hosts.get(i).name(), i);
    }
    int taken = 0;
    for (var e : view.pending()) {
      if (taken == settings.batchSize()) {
        kickSoon();
        break;
      }
      Long parkedAt = parked.get(e.getKey());
      if (parkedAt != null && parkedAt == view.generation()) {
        continue;
      }
      taken++;
      Pod pod = e.getValue();
      Placement.Decision d = placement.place(pod, hosts);
      if (d instanceof Placement.Decision.Chosen chosen) {
        int i = index.get(chosen.host());
        hosts.set(i, hosts.get(i).with(pod));
        view.assume(e.getKey(), chosen.host());
        parked.remove(e.getKey());
        toIssue.add(new Decided(e.getKey(), pod, chosen.host()));
      } else if (d instanceof Placement.Decision.Unschedulable u) {
        parked.put(e.getKey(), view.generation());
        markUnschedulable(e.getKey(), pod, u.message());
      }
    }
    if (batchSize == 0) {
      batchStarted = System.nanoTime();
    }
    batchSize += toIssue.size(); // toIssue was empty on entry: these are this kick's decisions
    issue();
    return Behaviors.same();
  }

  private void issue() {
    while (inFlight < settings.parallelism() && !toIssue.isEmpty()) {
      Decided d = toIssue.poll();
      inFlight++;
      ctx.pipeToSelf(binding.attempt(d.ref(), d.pod(), d.host()), (result, error) -> new Attempted(d.ref(), d.pod(),
          d.host(), error != null ? new Binding.Result.Failed(String.valueOf(error)) : result));
    }
  }

  private Behavior<Command> onAttempted(Attempted a) {
    inFlight--;
    if (a.result() instanceof Binding.Result.Bound) {
      refusals.forget(a.pod());
      written.remove(a.ref());
    } else if (a.result() instanceof Binding.Result.Refused r) {
      view.forget(a.ref());
      refusals.refused(a.pod(), a.host(), r.reasons().isEmpty() ? "refused" : filterWords(r.reasons().get(0)));
      kickSoon(); // the next-best host, or Unschedulable with the host's reason
    } else if (a.result() instanceof Binding.Result.Failed f) {
      view.forget(a.ref());
      log.info("scheduler: pod {} on {} failed ({}); trying again", a.ref(), a.host(), f.message());
      timers.startSingleTimer(Kick.INSTANCE, Kick.INSTANCE, settings.failureBackoff());
    } else if (a.result() instanceof Binding.Result.Unknown u) {
      // Placed again now, a pod that did bind would cost a reservation elsewhere and a refused bind, and would
      // count nowhere meanwhile: it stays assumed on its host until the feed shows it, or the recheck.
      log.info("scheduler: {}; waiting for the registry to show whether {} is bound", u.message(), a.ref());
      Recheck recheck = new Recheck(a.ref());
      timers.startSingleTimer(recheck, recheck, settings.retryInterval());
    }
    issue();
    if (toIssue.isEmpty() && inFlight == 0) {
      if (batchSize > 0) {
        String line = String.format("scheduler: %d placements carried out in %d ms: %s", batchSize,
            (System.nanoTime() - batchStarted) / 1_000_000, binding.meanTimes());
        if (batchSize >= BURST) {
          log.info(line);
        } else {
          log.debug(line); // a pod at a time would be a line per pod
        }
        batchSize = 0;
      }
      kickSoon();
    }
    return Behaviors.same();
  }

  /**
   * Every {@code retry-interval}: unschedulable pods and refusals get another chance; pods still waiting are counted in
   * the log (what they wait on, how far the feed got), and a feed that stood still behind this member's store is
   * listed again.
   */
  private Behavior<Command> onRetryParked() {
    if (!listed) {
      return Behaviors.same();
    }
    if (feed.stalledFor(settings.retryInterval().multipliedBy(2))) {
      throw new IllegalStateException("the registry feed stood at revision " + feed.revision()
          + " while this member applied up to " + reader.localRevision() + "; listing again");
    }
    int waiting = view.pending().size();
    if (waiting > 0) {
      log.info("scheduler: {} pods wait for a host ({} unschedulable), {} placements assumed, {} in flight, {} queued; "
              + "the feed is at revision {} of this member's {}{}", waiting, parked.size(), view.assumed(), inFlight,
          toIssue.size(), feed.revision(), reader.localRevision(),
          timers.isTimerActive(Kick.INSTANCE) ? "" : "; no placement round was due");
    }
    parked.clear();
    refusals.clear();
    return kickSoon();
  }

  private Behavior<Command> onRecheck(Recheck r) {
    Pod pod = view.pod(r.ref());
    if (pod != null && pod.spec().nodeName() == null && view.forget(r.ref())) {
      log.info("scheduler: {} is still unbound {} after its bind went unanswered; placing it again", r.ref(),
          settings.retryInterval());
      return kickSoon();
    }
    return Behaviors.same();
  }

  /** The host says "Insufficient cpu" where the filters say "insufficient cpu": one wording per reason in a message. */
  private static String filterWords(String reason) {
    return reason.isEmpty() ? reason : Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
  }

  /** {@code PodScheduled=False, reason Unschedulable}: written only when the message changes. */
  private void markUnschedulable(ObjectRef ref, Pod pod, String message) {
    PodStatus status = pod.status() == null ? PodStatus.phase("Pending") : pod.status();
    PodStatus.PodCondition now = status.condition("PodScheduled");
    if (message.equals(written.get(ref)) || now != null && "False".equals(now.status())
        && "Unschedulable".equals(now.reason()) && Objects.equals(message, now.message())) {
      return;
    }
    written.put(ref, message);
    List<PodStatus.PodCondition> conditions = new ArrayList<>(status.conditions());
    conditions.removeIf(c -> "PodScheduled".equals(c.type()));
    conditions.add(new PodStatus.PodCondition("PodScheduled", "False", null,
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), "Unschedulable", message));
    PodStatus next = new PodStatus(status.phase(), conditions, status.message(), status.reason(), status.hostIP(),
        status.podIP(), status.startTime(), status.containerStatuses());
    // No resourceVersion: only the scheduler writes the status of a pod that has no host yet.
    Pod update = pod.withMetadata(pod.metadata().withResourceVersion(null)).withStatus(next);
    pods.updateStatus(update).whenComplete((outcome, error) -> {
      if (error != null || outcome instanceof Outcome.Failed) {
        log.debug("scheduler: marking {} unschedulable failed: {}", ref, error != null ? error : outcome);
      }
    });
  }
}
