package dev.pacific.host.podagent;

import dev.pacific.api.Container;
import dev.pacific.api.Pod;
import dev.pacific.api.PodStatus;
import dev.pacific.host.runtime.ContainerExit;
import dev.pacific.host.runtime.ContainerLaunch;
import dev.pacific.host.runtime.ContainerRuntime;
import dev.pacific.host.runtime.PodRef;
import dev.pacific.host.runtime.RunningContainer;
import dev.pacific.host.runtime.RunningInstance;
import dev.pacific.host.runtime.StartResult;
import dev.pacific.host.images.ImageService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * One pod on this host, supervised as the kubelet supervises it: starts its containers through a
 * {@link ContainerRuntime}, probes them ({@link ProbeRunner}), restarts ended ones as
 * {@code restartPolicy} says with Kubernetes' back-off, and publishes every change of its
 * {@link PodStatus} to the listener. Every wait is an actor timer and every time a {@link Clock}
 * reading, so tests drive it with Pekko's ManualTime and a fixed clock.
 */
public final class PodAgent {

  public sealed interface Command {}

  /** Answers with the pod's status now. */
  public record GetStatus(ActorRef<PodStatus> replyTo) implements Command {}

  /** Graceful deletion: no more restarts, SIGTERM, SIGKILL after {@code grace}; then the agent stops. */
  public record Delete(Duration grace) implements Command {}

  /** The status stream: one message per change, for the spherelet to report. */
  public record StatusChanged(String podUid, PodStatus status) {}

  record StartDue(String container, int generation) implements Command {}

  record StartDone(String container, int generation, StartResult result) implements Command {}

  record Exited(String container, int generation, ContainerExit exit) implements Command {}

  record ProbeDue(String container, int generation, ProbeKind kind) implements Command {}

  record Probed(String container, int generation, ProbeKind kind, Prober.Result result) implements Command {}

  record Pulled(String container, int generation, ImageService.Pull pull) implements Command {}

  /**
   * Everything one pod's agent is given; the runtime, prober and clock are shared by the host's
   * agents. {@code adopted} holds, by container name, instances still running from an earlier
   * agent of this pod (a restarted spherelet): the agent supervises them instead of starting
   * second copies.
   */
  public record Setup(Pod pod, PodRef ref, ContainerRuntime runtime, Prober prober, ImageService images, Clock clock,
      PodAgentSettings settings, ActorRef<StatusChanged> listener, Map<String, RunningInstance> adopted) {

    public Setup {
      adopted = Map.copyOf(adopted);
    }

    public Setup(Pod pod, PodRef ref, ContainerRuntime runtime, Prober prober, ImageService images, Clock clock,
        PodAgentSettings settings, ActorRef<StatusChanged> listener) {
      this(pod, ref, runtime, prober, images, clock, settings, listener, Map.of());
    }
  }

  private final Setup setup;
  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final RestartPolicy policy;
  private final Map<String, ContainerSlot> slots = new LinkedHashMap<>();
  private final ProbeRunner probes;
  private final Instant startTime;
  private PodStatus published;
  private Duration deletingWithGrace;

  private PodAgent(Setup setup, ActorContext<Command> ctx, TimerScheduler<Command> timers) {
    this.setup = setup;
    this.ctx = ctx;
    this.timers = timers;
    this.policy = RestartPolicy.of(setup.pod().spec().restartPolicy());
    // An adopted pod started when its oldest instance did, not when this agent came to watch it.
    this.startTime = setup.adopted().values().stream().map(i -> i.container().startedAt())
        .min(Instant::compareTo).orElse(setup.clock().instant());
    this.probes = new ProbeRunner(ctx, timers, setup.prober(), setup.ref().podIp(), setup.clock());
    for (Container c : setup.pod().spec().containers()) {
      slots.put(c.name(), new ContainerSlot(c, setup.settings().newBackOff(), setup.settings().newPullBackOff()));
    }
  }

  public static Behavior<Command> create(Setup setup) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      PodAgent agent = new PodAgent(setup, ctx, timers);
      for (ContainerSlot slot : agent.slots.values()) {
        RunningInstance adopted = setup.adopted().get(slot.name());
        if (adopted != null) {
          agent.adopt(slot, adopted);
        } else {
          ctx.getSelf().tell(new StartDue(slot.name(), 0));
        }
      }
      agent.publish();
      return agent.behavior();
    }));
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(GetStatus.class, g -> {
          g.replyTo().tell(status());
          return Behaviors.same();
        })
        .onMessage(Delete.class, d -> after(() -> onDelete(d.grace())))
        .onMessage(StartDue.class, s -> after(() -> onStartDue(slots.get(s.container()), s.generation())))
        .onMessage(StartDone.class, s -> after(() -> onStartDone(slots.get(s.container()), s.generation(), s.result())))
        .onMessage(Exited.class, e -> after(() -> onExited(slots.get(e.container()), e.generation(), e.exit())))
        .onMessage(ProbeDue.class, p -> after(() -> probes.due(slots.get(p.container()), p.generation(), p.kind())))
        .onMessage(Probed.class, p -> after(() -> onProbed(slots.get(p.container()), p)))
        .onMessage(Pulled.class, p -> after(() -> onPulled(slots.get(p.container()), p.generation(), p.pull())))
        .onSignal(PostStop.class, stop -> {
          slots.values().stream().filter(s -> s.bundle != null).forEach(s -> setup.images().release(s.spec.image()));
          return Behaviors.same();
        })
        .build();
  }

  /** Every change is published; a deleted pod's agent stops once none of its containers runs. */
  private Behavior<Command> after(Runnable change) {
    change.run();
    publish();
    if (deletingWithGrace != null && slots.values().stream().noneMatch(ContainerSlot::running)) {
      return Behaviors.stopped();
    }
    return Behaviors.same();
  }

  private void onStartDue(ContainerSlot slot, int generation) {
    if (slot.generation != generation || slot.running() || deletingWithGrace != null) {
      return;
    }
    Container c = slot.spec;
    if (c.image() != null && slot.bundle == null) {
      pull(slot, generation);
      return;
    }
    if (generation > 0) {
      slot.restartCount++;
    }
    List<String> argv = new java.util.ArrayList<>(c.command());
    argv.addAll(c.args());
    Map<String, String> env = new LinkedHashMap<>();
    c.env().forEach(e -> env.put(e.name(), e.value() == null ? "" : e.value()));
    var launch = new ContainerLaunch(setup.ref(), c.name(), slot.restartCount, argv, env,
        slot.bundle != null ? slot.bundle : c.workingDir() == null ? null : Path.of(c.workingDir()));
    ctx.pipeToSelf(setup.runtime().start(launch), (result, failure) -> new StartDone(c.name(), generation,
        failure == null ? result : new StartResult.Failed("StartError", String.valueOf(failure.getMessage()))));
  }

  /** Pulls run on the blocking dispatcher: fetching and unpacking a bundle is disk and network I/O. */
  private void pull(ContainerSlot slot, int generation) {
    if (slot.pulling) {
      return;
    }
    slot.pulling = true;
    String image = slot.spec.image();
    var blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
    ctx.pipeToSelf(CompletableFuture.supplyAsync(() -> setup.images().acquire(image), blocking),
        (pull, failure) -> new Pulled(slot.name(), generation, pull != null ? pull
            : new ImageService.Pull.Failed("ErrImagePull", String.valueOf(failure.getMessage()))));
  }

  /**
   * As the kubelet: a failed pull shows {@code ErrImagePull}, retries wait in
   * {@code ImagePullBackOff} (10 s doubling to 5 min); a malformed name is not retried.
   */
  private void onPulled(ContainerSlot slot, int generation, ImageService.Pull pull) {
    slot.pulling = false;
    if (pull instanceof ImageService.Pull.Ready ready) {
      if (deletingWithGrace != null) {
        setup.images().release(slot.spec.image());
        return;
      }
      slot.bundle = ready.bundle();
      ctx.getSelf().tell(new StartDue(slot.name(), generation));
    } else if (pull instanceof ImageService.Pull.Failed failed && deletingWithGrace == null) {
      if ("InvalidImageName".equals(failed.reason())) {
        slot.waitingFor(failed.reason(), failed.message());
        return;
      }
      boolean first = slot.pullFailures++ == 0;
      slot.waitingFor(first ? "ErrImagePull" : "ImagePullBackOff",
          first ? failed.message() : "Back-off pulling image \"" + slot.spec.image() + "\": " + failed.message());
      timers.startSingleTimer(new RestartTimer(slot.name()), new StartDue(slot.name(), generation),
          slot.pullBackOff.afterRunning(Duration.ZERO));
    }
  }

  private void onStartDone(ContainerSlot slot, int generation, StartResult result) {
    if (result instanceof StartResult.Started started) {
      if (slot.generation != generation || deletingWithGrace != null) {
        started.container().stop(deletingWithGrace == null ? Duration.ZERO : deletingWithGrace);
        return;
      }
      supervise(slot, generation, started.container(), setup.clock().instant());
    } else if (result instanceof StartResult.Failed failed && slot.generation == generation) {
      // As containerd reports it: terminated with StartError and exit code 128, then back-off.
      var exit = new ContainerExit(128, null, failed.reason(), setup.clock().instant());
      afterEnd(slot, exit, failed.message(), null);
    }
  }

  private void supervise(ContainerSlot slot, int generation, RunningContainer instance, Instant since) {
    slot.nowRunning(instance, since);
    ctx.pipeToSelf(instance.exit(), (exit, failure) -> new Exited(slot.name(), generation,
        exit != null ? exit : ContainerExit.of(128, setup.clock().instant())));
    probes.instanceStarted(slot);
  }

  /**
   * Takes over an instance an earlier agent started, keeping its restart count. Its image is
   * acquired again so that it counts as used while the instance runs (the earlier agent released
   * it when it stopped); the pull finds the instance running and starts nothing.
   */
  private void adopt(ContainerSlot slot, RunningInstance adopted) {
    slot.restartCount = adopted.launch().restartCount();
    supervise(slot, slot.generation, adopted.container(), adopted.container().startedAt());
    if (slot.spec.image() != null) {
      pull(slot, slot.generation);
    }
  }

  private void onExited(ContainerSlot slot, int generation, ContainerExit exit) {
    if (slot.generation != generation || !slot.running()) {
      return;
    }
    probes.instanceEnded(slot);
    afterEnd(slot, exit, slot.killedBecause, slot.runningSince);
  }

  /** Kubernetes' restart decision: the policy says whether, the back-off says when. */
  private void afterEnd(ContainerSlot slot, ContainerExit exit, String message, Instant startedAt) {
    Instant now = setup.clock().instant();
    boolean restarts = deletingWithGrace == null && policy.restarts(exit.exitCode());
    slot.ended(exit, message, startedAt, restarts);
    slot.generation++;
    if (!restarts) {
      return;
    }
    Duration ran = startedAt == null ? Duration.ZERO : Duration.between(startedAt, now);
    Duration delay = slot.backOff.afterRunning(ran);
    StartDue due = new StartDue(slot.name(), slot.generation);
    if (delay.isZero()) {
      ctx.getSelf().tell(due);
    } else {
      slot.waitingFor("CrashLoopBackOff", "back-off " + delay.toSeconds() + "s restarting failed container="
          + slot.name() + " pod=" + setup.ref().name() + "_" + setup.ref().namespace() + "(" + setup.ref().uid() + ")");
      timers.startSingleTimer(new RestartTimer(slot.name()), due, delay);
    }
  }

  private record RestartTimer(String container) {}

  private void onProbed(ContainerSlot slot, Probed p) {
    switch (probes.verdict(slot, p.generation(), p.kind(), p.result())) {
      case KILL -> {
        Long grace = p.kind().of(slot.spec).terminationGracePeriodSeconds();
        slot.instance.stop(Duration.ofSeconds(grace != null ? grace : podGraceSeconds()));
      }
      case NONE -> { }
    }
  }

  private long podGraceSeconds() {
    Long g = setup.pod().spec().terminationGracePeriodSeconds();
    return g == null ? 30 : g;
  }

  private void onDelete(Duration grace) {
    deletingWithGrace = grace;
    for (ContainerSlot slot : slots.values()) {
      timers.cancel(new RestartTimer(slot.name()));
      probes.instanceEnded(slot);
      if (slot.running()) {
        slot.instance.stop(grace);
      }
    }
  }

  private PodStatus status() {
    List<ContainerSlot> all = List.copyOf(slots.values());
    Instant now = setup.clock().instant();
    return new PodStatus(PodSummary.phase(all), PodSummary.conditions(all, published, now), null, null, null,
        setup.ref().podIp(), Timestamps.of(startTime), all.stream().map(ContainerSlot::status).toList());
  }

  private void publish() {
    PodStatus now = status();
    if (!now.equals(published)) {
      published = now;
      setup.listener().tell(new StatusChanged(setup.ref().uid(), now));
    }
  }
}
