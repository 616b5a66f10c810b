package dev.pacific.controlplane.scheduler;

import dev.pacific.api.Pod;
import java.util.Map;
import java.util.Objects;

/**
 * Prefers hosts running fewer pods like this one (same namespace, carrying every label this pod
 * has), so replicas spread across hosts without being asked — what Kubernetes' default topology
 * spreading does for the pods of one workload. Score {@code 1 / (1 + alike pods on the host)}.
 */
public final class Spread implements Score {

  @Override
  public double score(Pod pod, HostView host) {
    Map<String, String> labels = pod.metadata().labels();
    long alike = host.pods().stream()
        .filter(other -> Objects.equals(other.metadata().namespace(), pod.metadata().namespace()))
        .filter(other -> other.metadata().labels().entrySet().containsAll(labels.entrySet()))
        .count();
    return 1.0 / (1 + alike);
  }

  /** Spreading replicas matters more than balancing load. */
  @Override
  public double weight() {
    return 2;
  }
}
