package dev.pacific.host.podagent;

import dev.pacific.api.Probe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * When a pod's probes run and what their results mean, with Kubernetes' field semantics: each
 * probe first runs {@code initialDelaySeconds} after the container started, then every
 * {@code periodSeconds} (one at a time: a tick while a probe is out is skipped); a startup probe
 * holds back liveness and readiness until it passes; liveness or startup failing
 * {@code failureThreshold} times in a row kills the instance; readiness sets {@code ready}.
 * A container without a readiness probe is ready as soon as it has started.
 */
final class ProbeRunner {

  enum Action { KILL, NONE }

  private record ProbeTimer(String container, ProbeKind kind) {}

  private final ActorContext<PodAgent.Command> ctx;
  private final TimerScheduler<PodAgent.Command> timers;
  private final Prober prober;
  private final String podIp;
  private final Clock clock;

  ProbeRunner(ActorContext<PodAgent.Command> ctx, TimerScheduler<PodAgent.Command> timers, Prober prober,
      String podIp, Clock clock) {
    this.ctx = ctx;
    this.timers = timers;
    this.prober = prober;
    this.podIp = podIp;
    this.clock = clock;
  }

  void instanceStarted(ContainerSlot slot) {
    if (slot.spec.startupProbe() != null) {
      schedule(slot, ProbeKind.STARTUP);
    } else {
      startedUp(slot);
    }
  }

  void instanceEnded(ContainerSlot slot) {
    for (ProbeKind kind : ProbeKind.values()) {
      timers.cancel(new ProbeTimer(slot.name(), kind));
    }
  }

  private void startedUp(ContainerSlot slot) {
    slot.started = true;
    timers.cancel(new ProbeTimer(slot.name(), ProbeKind.STARTUP));
    if (slot.spec.readinessProbe() == null) {
      slot.ready = true;
    }
    for (ProbeKind kind : new ProbeKind[] {ProbeKind.LIVENESS, ProbeKind.READINESS}) {
      if (kind.of(slot.spec) != null) {
        schedule(slot, kind);
      }
    }
  }

  private void schedule(ContainerSlot slot, ProbeKind kind) {
    Probe probe = kind.of(slot.spec);
    Instant firstAt = slot.runningSince.plusSeconds(orDefault(probe.initialDelaySeconds(), 0));
    Duration initial = Duration.between(clock.instant(), firstAt);
    Duration period = Duration.ofSeconds(orDefault(probe.periodSeconds(), 10));
    timers.startTimerAtFixedRate(new ProbeTimer(slot.name(), kind),
        new PodAgent.ProbeDue(slot.name(), slot.generation, kind), initial.isNegative() ? Duration.ZERO : initial, period);
  }

  void due(ContainerSlot slot, int generation, ProbeKind kind) {
    if (slot.generation != generation || !slot.running() || slot.killedBecause != null || !slot.inFlight.add(kind)) {
      return;
    }
    var target = new Prober.Target(slot.instance, slot.spec, podIp);
    ctx.pipeToSelf(prober.probe(kind.of(slot.spec), target), (result, failure) -> new PodAgent.Probed(slot.name(),
        generation, kind, failure == null ? result : new Prober.Result(false, String.valueOf(failure.getMessage()))));
  }

  /** Takes one result; says whether the instance must be killed. */
  Action verdict(ContainerSlot slot, int generation, ProbeKind kind, Prober.Result result) {
    if (slot.generation != generation || !slot.running() || slot.killedBecause != null) {
      return Action.NONE;
    }
    slot.inFlight.remove(kind);
    ProbeCounter.Verdict verdict = slot.counters.get(kind).record(result.success());
    switch (kind) {
      case STARTUP -> {
        if (verdict == ProbeCounter.Verdict.PASS) {
          startedUp(slot);
        } else if (verdict == ProbeCounter.Verdict.FAIL) {
          return kill(slot, kind, result);
        }
      }
      case LIVENESS -> {
        if (verdict == ProbeCounter.Verdict.FAIL) {
          return kill(slot, kind, result);
        }
      }
      case READINESS -> {
        if (verdict != ProbeCounter.Verdict.UNDECIDED) {
          slot.ready = verdict == ProbeCounter.Verdict.PASS;
        }
      }
    }
    return Action.NONE;
  }

  private Action kill(ContainerSlot slot, ProbeKind kind, Prober.Result result) {
    slot.killedBecause = "Container " + slot.name() + " failed " + kind.label().toLowerCase(java.util.Locale.ROOT)
        + " probe, will be restarted: " + result.message();
    instanceEnded(slot);
    return Action.KILL;
  }

  private static int orDefault(Integer value, int fallback) {
    return value == null ? fallback : value;
  }
}
