package dev.pacific.controlplane.entities;

import dev.pacific.api.Pod;
import dev.pacific.api.validation.FieldError;
import dev.pacific.api.validation.FieldPath;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The phases a pod may go through (CONTRACT.md, after Kubernetes' pod lifecycle): Pending →
 * Running/Succeeded/Failed/Unknown, Running → Succeeded/Failed/Unknown, Unknown (its host stopped
 * reporting) → Running/Succeeded/Failed. Succeeded and Failed are final. Staying put is always legal.
 */
final class PodPhases {

  static final String PENDING = "Pending";

  private static final Map<String, Set<String>> NEXT = Map.of(
      PENDING, Set.of("Running", "Succeeded", "Failed", "Unknown"),
      "Running", Set.of("Succeeded", "Failed", "Unknown"),
      "Unknown", Set.of("Running", "Succeeded", "Failed"),
      "Succeeded", Set.of(),
      "Failed", Set.of());

  private PodPhases() {}

  /** Why a pod may not go from {@code from} to {@code to}, on {@code status.phase}; empty when it may. */
  static Optional<FieldError> refusal(String from, String to) {
    Set<String> next = NEXT.getOrDefault(from, Set.of());
    if (to.equals(from) || next.contains(to)) {
      return Optional.empty();
    }
    return Optional.of(FieldError.invalid(FieldPath.of("status", "phase"), to, next.isEmpty()
        ? "a pod in phase " + from + " has finished and its phase is final"
        : "a pod cannot go from phase " + from + " to " + to));
  }

  /** Succeeded or Failed: nothing of it runs any more. */
  static boolean isFinished(Pod pod) {
    String phase = pod.status() == null ? null : pod.status().phase();
    return phase != null && NEXT.getOrDefault(phase, Set.of("?")).isEmpty();
  }
}
