package dev.pacific.controlplane.scheduler;

import dev.pacific.api.Pod;
import dev.pacific.api.PodResources;
import dev.pacific.api.Quantity;
import dev.pacific.api.ResourceList;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/**
 * Prefers the host with the most cpu and memory left after placing the pod (Kubernetes'
 * NodeResourcesFit "LeastAllocated"): the mean over cpu and memory of the free fraction.
 */
public final class LeastAllocated implements Score {

  private static final List<String> RESOURCES = List.of("cpu", "memory");

  @Override
  public double score(Pod pod, HostView host) {
    ResourceList allocatable = host.allocatable();
    ResourceList used = PodResources.add(host.requested(), PodResources.requests(pod.spec()));
    double sum = 0;
    for (String r : RESOURCES) {
      Quantity total = allocatable.getOrZero(r);
      if (total.signum() <= 0) {
        continue;
      }
      BigDecimal free = total.amount().subtract(used.getOrZero(r).amount());
      sum += Math.max(0, free.divide(total.amount(), MathContext.DECIMAL64).doubleValue());
    }
    return sum / RESOURCES.size();
  }
}
