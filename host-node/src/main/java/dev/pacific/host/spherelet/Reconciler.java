package dev.pacific.host.spherelet;

import dev.pacific.api.Pod;
import dev.pacific.api.PodStatus;
import dev.pacific.host.podagent.PodAgent;
import dev.pacific.host.runtime.PodRef;
import dev.pacific.host.runtime.RunningInstance;
import dev.pacific.wire.HostGatewayProtocol.PodKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Makes what runs on this host match what is bound to it: one {@link PodAgent} per pod that should
 * run (bound here, not terminating, not finished), started when the host holds a lease; a pod no
 * longer bound is stopped, a terminating one stopped gracefully and then confirmed to the control
 * plane; statuses go to the {@link StatusReporter}.
 *
 * <p>After every new lease (the first start, a restart, a fence) nothing starts until the host
 * has the full list of its pods and has cleaned up: instances whose pod is not bound here any more
 * are stopped and strays from an earlier run of the host are killed, <em>then</em> pods start,
 * each new agent adopting whatever the runtime still runs for its pod. So a restarted spherelet
 * runs no pod twice. On fencing every pod is stopped at once.
 */
final class Reconciler {

  sealed interface Command {}

  record FromSession(SessionEvent event) implements Command {}

  private record FeedChanged(PodFeed.Change change) implements Command {}

  private record AgentStatus(PodAgent.StatusChanged changed) implements Command {}

  private record AgentStopped(String uid, ActorRef<PodAgent.Command> agent) implements Command {}

  private record Gone(String uid) implements Command {}

  private record CleanedUp(long epoch, int strays, int orphans) implements Command {}

  private enum Tick implements Command { SWEEP }

  /** Why an agent is stopping, which decides what follows its end. */
  private enum Mode { RUNNING, UNBOUND, DELETING, FENCED }

  private static final class Entry {
    final Pod pod;
    final PodRef ref;
    final ActorRef<PodAgent.Command> agent;
    Mode mode = Mode.RUNNING;
    PodStatus status;

    Entry(Pod pod, PodRef ref, ActorRef<PodAgent.Command> agent) {
      this.pod = pod;
      this.ref = ref;
      this.agent = agent;
    }
  }

  private final ActorContext<Command> ctx;
  private final HostKit kit;
  private final ActorRef<PodFeed.Command> feed;
  private final ActorRef<StatusReporter.Command> reporter;
  private final ActorRef<PodAgent.StatusChanged> statuses;
  private final Map<String, Pod> desired = new HashMap<>();
  private final Map<String, Entry> entries = new HashMap<>();
  /** Terminating pods whose stop was confirmed (or is being confirmed) to the control plane. */
  private final Set<String> confirmed = new HashSet<>();
  private boolean leaseHeld;
  /** The host has its full pod list and has cleaned up since its last new lease: it may start pods. */
  private boolean synced;
  private boolean cleaning;
  private long epoch;
  private long spawned;

  private Reconciler(ActorContext<Command> ctx, HostKit kit, ActorRef<GatewaySession.Command> session) {
    this.ctx = ctx;
    this.kit = kit;
    this.reporter = ctx.spawn(StatusReporter.create(kit.hostName(), kit.settings(),
        ctx.messageAdapter(StatusReporter.Gone.class, g -> new Gone(g.uid()))), "status");
    this.feed = ctx.spawn(PodFeed.create(kit.hostName(), kit.settings(), session,
        ctx.messageAdapter(PodFeed.Change.class, FeedChanged::new)), "feed");
    this.statuses = ctx.messageAdapter(PodAgent.StatusChanged.class, AgentStatus::new);
    ctx.watch(reporter); // a death pact: if either fails, the spherelet restarts as a whole
    ctx.watch(feed);
  }

  static Behavior<Command> create(HostKit kit, ActorRef<GatewaySession.Command> session) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.SWEEP, Tick.SWEEP, kit.settings().sweepInterval());
      return new Reconciler(ctx, kit, session).behavior();
    }));
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(FromSession.class, s -> act(() -> onSession(s.event())))
        .onMessage(FeedChanged.class, f -> act(() -> onFeed(f.change())))
        .onMessage(AgentStatus.class, a -> act(() -> onStatus(a.changed())))
        .onMessage(AgentStopped.class, a -> act(() -> onAgentStopped(a.uid(), a.agent())))
        .onMessage(Gone.class, g -> act(() -> unbound(g.uid())))
        .onMessage(CleanedUp.class, c -> act(() -> onCleanedUp(c)))
        .onMessageEquals(Tick.SWEEP, () -> act(this::sweep))
        .build();
  }

  private Behavior<Command> act(Runnable r) {
    r.run();
    return Behaviors.same();
  }

  private void onSession(SessionEvent event) {
    feed.tell(new PodFeed.FromSession(event));
    reporter.tell(new StatusReporter.FromSession(event));
    if (event instanceof SessionEvent.Connected c && c.newLease()) {
      leaseHeld = true;
      synced = false; // the feed lists afresh; nothing starts before that list and the clean-up
    } else if (event instanceof SessionEvent.Fenced f) {
      fenceAll();
    }
  }

  private void onFeed(PodFeed.Change change) {
    if (change instanceof PodFeed.Change.Listed l) {
      Set<String> before = new HashSet<>(desired.keySet());
      desired.clear();
      desired.putAll(l.pods());
      confirmed.retainAll(desired.keySet());
      if (!synced) {
        cleanUp();
      } else {
        before.addAll(desired.keySet());
        before.forEach(this::reconcile);
      }
    } else if (change instanceof PodFeed.Change.Bound b) {
      desired.put(b.pod().metadata().uid(), b.pod());
      reconcile(b.pod().metadata().uid());
    } else if (change instanceof PodFeed.Change.Unbound u) {
      unbound(u.uid());
    }
  }

  private void unbound(String uid) {
    desired.remove(uid);
    confirmed.remove(uid);
    reconcile(uid);
  }

  /**
   * Before anything starts: instances no agent owns whose pod is not bound here (or has finished)
   * are stopped, strays of an earlier run of the host killed; {@link CleanedUp} when all are gone.
   */
  private void cleanUp() {
    if (cleaning) {
      return;
    }
    cleaning = true;
    List<CompletableFuture<?>> stopping = new ArrayList<>();
    for (RunningInstance i : kit.runtime().instances()) {
      Pod pod = desired.get(i.podUid());
      if (!entries.containsKey(i.podUid()) && (pod == null || (PodRules.finished(pod) && !PodRules.terminating(pod)))) {
        stopping.add(i.container().stop(kit.settings().orphanGrace()).toCompletableFuture());
      }
    }
    CompletableFuture<Integer> strays = kit.runtime().killStrays().toCompletableFuture();
    stopping.add(strays);
    long at = epoch;
    int orphans = stopping.size() - 1;
    ctx.pipeToSelf(CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).thenApply(v -> strays.join()),
        (n, failure) -> new CleanedUp(at, n == null ? -1 : n, orphans));
  }

  private void onCleanedUp(CleanedUp c) {
    cleaning = false;
    if (c.epoch() != epoch) {
      return; // fenced meanwhile: the next lease cleans up again
    }
    if (c.orphans() > 0 || c.strays() != 0) {
      ctx.getLog().info("{}: stopped {} container(s) of pods no longer bound here and {} stray process(es)",
          kit.hostName(), c.orphans(), c.strays() < 0 ? "some" : c.strays());
    }
    synced = true;
    new ArrayList<>(desired.keySet()).forEach(this::reconcile);
    sweepInstances();
  }

  /** Brings one pod to what it should be; the one place where agents start and stop. */
  private void reconcile(String uid) {
    if (!synced) {
      return;
    }
    Pod pod = desired.get(uid);
    Entry entry = entries.get(uid);
    if (entry != null) {
      settle(entry, pod);
      return;
    }
    List<RunningInstance> running = instancesOf(uid);
    if (pod != null && PodRules.terminating(pod)) {
      if (running.isEmpty()) {
        confirmOnce(pod, pod.status());
      } else {
        settle(startAgent(pod, running), pod); // adopt it to stop it gracefully, then confirm
      }
    } else if (pod == null || PodRules.finished(pod)) {
      running.forEach(i -> i.container().stop(kit.settings().orphanGrace()));
    } else if (leaseHeld) {
      startAgent(pod, running);
    }
  }

  private void settle(Entry entry, Pod pod) {
    if (pod == null) {
      if (entry.mode == Mode.RUNNING) {
        stop(entry, Mode.UNBOUND, PodRules.specGrace(entry.pod));
      }
    } else if (PodRules.terminating(pod) && entry.mode != Mode.DELETING) {
      Mode before = entry.mode;
      entry.mode = Mode.DELETING;
      if (before != Mode.FENCED) {
        entry.agent.tell(new PodAgent.Delete(PodRules.deletionGrace(pod)));
      }
    }
  }

  private void stop(Entry entry, Mode why, Duration grace) {
    entry.mode = why;
    entry.agent.tell(new PodAgent.Delete(grace));
  }

  private Entry startAgent(Pod pod, List<RunningInstance> running) {
    String uid = pod.metadata().uid();
    PodRules.Adoption adoption = PodRules.adoption(pod, running);
    adoption.stop().forEach(i -> i.container().stop(Duration.ZERO));
    String address = kit.addresses().assign(uid).orElse(null);
    PodRef ref = adoption.adopt().isEmpty()
        ? new PodRef(uid, pod.metadata().namespace(), pod.metadata().name(), address)
        : adoption.adopt().values().iterator().next().launch().pod();
    if (!adoption.adopt().isEmpty()) {
      ctx.getLog().info("adopting pod {}/{} ({}): containers {} still run", ref.namespace(), ref.name(), uid,
          adoption.adopt().keySet());
    }
    var setup = new PodAgent.Setup(pod, ref, kit.runtime(), kit.prober(), kit.images(), kit.clock(),
        kit.agentSettings(), statuses, adoption.adopt());
    ActorRef<PodAgent.Command> agent = ctx.spawn(PodAgent.create(setup), "pod-" + uid + "-" + (++spawned));
    ctx.watchWith(agent, new AgentStopped(uid, agent));
    Entry entry = new Entry(pod, ref, agent);
    entries.put(uid, entry);
    return entry;
  }

  private void onStatus(PodAgent.StatusChanged changed) {
    Entry entry = entries.get(changed.podUid());
    if (entry == null) {
      return;
    }
    PodStatus s = changed.status();
    entry.status = new PodStatus(s.phase(), s.conditions(), s.message(), s.reason(), kit.hostIp(), s.podIP(),
        s.startTime(), s.containerStatuses());
    kit.logs().update(entry.ref, entry.status);
    // A fenced pod's end is not its outcome: reported as Failed it would never run again.
    if (entry.mode == Mode.RUNNING || entry.mode == Mode.DELETING) {
      reporter.tell(new StatusReporter.Report(key(entry), entry.status));
    }
  }

  private void onAgentStopped(String uid, ActorRef<PodAgent.Command> agent) {
    Entry entry = entries.get(uid);
    if (entry == null || !entry.agent.equals(agent)) {
      return;
    }
    entries.remove(uid);
    switch (entry.mode) {
      case DELETING -> {
        confirmed.add(uid);
        reporter.tell(new StatusReporter.ConfirmStopped(key(entry), entry.status != null ? entry.status
            : known(entry.pod.status())));
      }
      case UNBOUND -> reporter.tell(new StatusReporter.Forget(uid));
      case FENCED -> { }
      case RUNNING -> {
        // Its containers still run in the runtime: keep the address, and let a new agent adopt them.
        ctx.getLog().warn("the agent of pod {} stopped on its own; a new one takes over", uid);
        reconcile(uid);
        return;
      }
    }
    kit.addresses().release(uid);
    kit.logs().forget(entry.ref);
    reconcile(uid);
  }

  private void confirmOnce(Pod pod, PodStatus status) {
    if (confirmed.add(pod.metadata().uid())) {
      reporter.tell(new StatusReporter.ConfirmStopped(PodKey.of(pod), known(status)));
    }
  }

  /** The lease is gone: every pod stops now, none starts until a new lease and a new list. */
  private void fenceAll() {
    leaseHeld = false;
    synced = false;
    epoch++;
    for (Entry e : entries.values()) {
      if (e.mode != Mode.DELETING) {
        e.mode = Mode.FENCED;
        reporter.tell(new StatusReporter.Forget(e.ref.uid())); // what it said while dying is no outcome either
      }
      e.agent.tell(new PodAgent.Delete(Duration.ZERO));
    }
    for (RunningInstance i : kit.runtime().instances()) {
      if (!entries.containsKey(i.podUid())) {
        i.container().stop(Duration.ZERO);
      }
    }
  }

  /**
   * Now and then: pods whose instances no agent owns (an agent crashed) are taken over or
   * stopped, a second instance beside an agent's own (an interrupted start) is stopped, and
   * every bound pod is looked at again.
   */
  private void sweep() {
    if (!synced) {
      return;
    }
    sweepInstances();
    new ArrayList<>(desired.keySet()).forEach(this::reconcile);
  }

  private void sweepInstances() {
    Set<String> unowned = new HashSet<>();
    long oldEnough = kit.clock().millis() - kit.settings().sweepInterval().toMillis();
    for (RunningInstance i : kit.runtime().instances()) {
      Entry entry = entries.get(i.podUid());
      if (entry == null) {
        unowned.add(i.podUid());
      } else if (entry.mode == Mode.RUNNING && entry.status != null
          && i.container().startedAt().toEpochMilli() < oldEnough
          && entry.status.containerStatuses().stream().noneMatch(c -> i.container().id().equals(c.containerID()))) {
        ctx.getLog().warn("stopping a second instance {} of pod {}", i.container().id(), i.podUid());
        i.container().stop(Duration.ZERO);
      }
    }
    unowned.forEach(this::reconcile);
  }

  private List<RunningInstance> instancesOf(String uid) {
    return kit.runtime().instances().stream().filter(i -> i.podUid().equals(uid)).toList();
  }

  /** A pod that never ran here has only the status the registry gave it, if any. */
  private static PodStatus known(PodStatus status) {
    return status != null ? status : PodStatus.phase("Pending");
  }

  private static PodKey key(Entry entry) {
    return new PodKey(entry.ref.namespace(), entry.ref.name(), entry.ref.uid());
  }
}
