package dev.pacific.controlplane.scheduler;

import dev.pacific.api.Pod;

/**
 * Prefers hosts running fewer pods like this one (same namespace, carrying every label this pod
 * has), so replicas spread across hosts without being asked — what Kubernetes' default topology
 * spreading does for the pods of one workload. Score {@code 1 / (1 + alike pods on the host)}.
 */
public final class Spread implements Score {

  @Override
  public double score(Pod pod, HostView host) {
    long alike = host.alike(pod.metadata().namespace(), pod.metadata().labels());
    return 1.0 / (1 + alike);
  }

  /** Spreading replicas matters more than balancing load. */
  @Override
  public double weight() {
    return 2;
  }
}
