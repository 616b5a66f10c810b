package dev.pacific.host.podagent;

import dev.pacific.api.PodStatus;
import dev.pacific.api.PodStatus.PodCondition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The pod-level part of status, from its containers as Kubernetes derives it: the phase, and the
 * conditions Initialized, ContainersReady, Ready and PodScheduled, each keeping its
 * {@code lastTransitionTime} until its value changes.
 */
final class PodSummary {

  private PodSummary() {}

  /**
   * Pending while some container has never run; Succeeded or Failed once every container has
   * ended for good (Failed if any ended non-zero); Running otherwise, also while restarting.
   */
  static String phase(List<ContainerSlot> slots) {
    if (slots.stream().anyMatch(ContainerSlot::neverRan)) {
      return "Pending";
    }
    if (slots.stream().allMatch(ContainerSlot::finished)) {
      boolean allZero = slots.stream().allMatch(s -> s.finalState().exitCode() == 0);
      return allZero ? "Succeeded" : "Failed";
    }
    return "Running";
  }

  static List<PodCondition> conditions(List<ContainerSlot> slots, PodStatus previous, Instant now) {
    boolean allReady = slots.stream().allMatch(s -> s.ready);
    String ready = allReady ? "True" : "False";
    String reason = allReady ? null : "ContainersNotReady";
    String message = allReady ? null : "containers with unready status: " + slots.stream()
        .filter(s -> !s.ready).map(ContainerSlot::name).toList();
    List<PodCondition> out = new ArrayList<>();
    out.add(condition("Initialized", "True", null, null, previous, now));
    out.add(condition("Ready", ready, reason, message, previous, now));
    out.add(condition("ContainersReady", ready, reason, message, previous, now));
    out.add(condition("PodScheduled", "True", null, null, previous, now));
    return out;
  }

  private static PodCondition condition(String type, String status, String reason, String message,
      PodStatus previous, Instant now) {
    PodCondition before = previous == null ? null : previous.condition(type);
    String since = before != null && status.equals(before.status()) ? before.lastTransitionTime() : Timestamps.of(now);
    return new PodCondition(type, status, null, since, reason, message);
  }
}
