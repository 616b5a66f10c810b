package dev.pacific.controlplane.scheduler;

import dev.pacific.api.Pod;

/**
 * How much a host that passed every filter suits a pod, from 0 (worst) to 1 (best) (Kubernetes'
 * "Score" extension point); placement adds the weighted scores and takes the highest.
 */
public interface Score {

  double score(Pod pod, HostView host);

  /** How much this score counts against the others. */
  default double weight() {
    return 1;
  }
}
