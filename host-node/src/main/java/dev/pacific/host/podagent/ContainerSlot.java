package dev.pacific.host.podagent;

import dev.pacific.api.Container;
import dev.pacific.api.PodStatus.ContainerState;
import dev.pacific.api.PodStatus.ContainerStatus;
import dev.pacific.api.PodStatus.Running;
import dev.pacific.api.PodStatus.Terminated;
import dev.pacific.api.PodStatus.Waiting;
import dev.pacific.host.runtime.ContainerExit;
import dev.pacific.host.runtime.RunningContainer;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * What the agent knows of one container across its instances: the one running now (if any), how
 * the last one ended, how many restarts, the probes' counters and the back-off. The
 * {@link PodAgent} changes it; {@link #status()} renders it as Kubernetes' ContainerStatus.
 */
final class ContainerSlot {

  final Container spec;
  final CrashBackOff backOff;
  final CrashBackOff pullBackOff;
  /** The image's unpacked bundle once pulled; kept (and counted as used) across restarts. */
  java.nio.file.Path bundle;
  boolean pulling;
  int pullFailures;
  /** Numbers start attempts, so results of an instance that is gone are recognised and dropped. */
  int generation;
  int restartCount;
  RunningContainer instance;
  Instant runningSince;
  boolean started;
  boolean ready;
  /** Set while a probe's kill is under way: the instance ends because the agent ended it. */
  String killedBecause;
  final Map<ProbeKind, ProbeCounter> counters = new EnumMap<>(ProbeKind.class);
  final Set<ProbeKind> inFlight = EnumSet.noneOf(ProbeKind.class);
  private Waiting waiting = new Waiting("ContainerCreating", null);
  private Terminated terminated;
  private Terminated lastTerminated;

  ContainerSlot(Container spec, CrashBackOff backOff, CrashBackOff pullBackOff) {
    this.spec = spec;
    this.backOff = backOff;
    this.pullBackOff = pullBackOff;
  }

  String name() {
    return spec.name();
  }

  boolean running() {
    return instance != null;
  }

  /** Ended for good: it will not start again under the pod's restart policy. */
  boolean finished() {
    return terminated != null;
  }

  /** Never got to run yet: what keeps a pod Pending. */
  boolean neverRan() {
    return instance == null && terminated == null && lastTerminated == null;
  }

  Terminated finalState() {
    return terminated;
  }

  void nowRunning(RunningContainer container, Instant at) {
    instance = container;
    runningSince = at;
    waiting = null;
    started = spec.startupProbe() == null;
    ready = false;
    killedBecause = null;
    counters.clear();
    inFlight.clear();
    for (ProbeKind kind : ProbeKind.values()) {
      var probe = kind.of(spec);
      if (probe != null) {
        counters.put(kind, new ProbeCounter(probe.successThreshold(), probe.failureThreshold()));
      }
    }
  }

  /** The instance ended (or never started): it becomes {@code lastState}, or the final state. */
  void ended(ContainerExit exit, String message, Instant startedAt, boolean restarts) {
    Terminated t = new Terminated(exit.exitCode(), exit.signal(), exit.reason(), message,
        startedAt == null ? null : Timestamps.of(startedAt), Timestamps.of(exit.finishedAt()),
        instance == null ? null : instance.id());
    instance = null;
    started = false;
    ready = false;
    inFlight.clear();
    if (restarts) {
      lastTerminated = t;
    } else {
      terminated = t;
      waiting = null;
    }
  }

  void waitingFor(String reason, String message) {
    waiting = new Waiting(reason, message);
  }

  ContainerStatus status() {
    ContainerState state;
    if (instance != null) {
      state = new ContainerState(null, new Running(Timestamps.of(runningSince)), null);
    } else if (terminated != null) {
      state = new ContainerState(null, null, terminated);
    } else {
      state = new ContainerState(waiting, null, null);
    }
    ContainerState last = lastTerminated == null ? null : new ContainerState(null, null, lastTerminated);
    return new ContainerStatus(name(), state, last, ready, restartCount, spec.image(), null,
        instance == null ? null : instance.id(), started);
  }
}
