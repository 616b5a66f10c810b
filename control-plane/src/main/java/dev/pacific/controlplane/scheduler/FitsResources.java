package dev.pacific.controlplane.scheduler;

import dev.pacific.api.Pod;
import dev.pacific.api.PodResources;
import dev.pacific.api.Quantity;
import dev.pacific.api.ResourceList;
import java.util.Optional;

/**
 * The pod's effective requests fit in what the host has left (allocatable minus the requests of
 * the pods bound to it), and the host is below its pod count ({@code pods} in allocatable).
 * Kubernetes' NodeResourcesFit; a resource the host does not report is treated as not offered only
 * when the pod asks for some of it.
 */
public final class FitsResources implements Filter {

  @Override
  public Optional<String> reject(Pod pod, HostView host) {
    ResourceList allocatable = host.allocatable();
    Quantity maxPods = allocatable.get("pods");
    if (maxPods != null && host.pods().size() + 1 > maxPods.value()) {
      return Optional.of("too many pods");
    }
    ResourceList requested = host.requested();
    for (var e : PodResources.requests(pod.spec()).entrySet()) {
      Quantity free = allocatable.getOrZero(e.getKey()).subtract(requested.getOrZero(e.getKey()));
      if (!e.getValue().isZero() && e.getValue().compareTo(free) > 0) {
        return Optional.of("insufficient " + e.getKey());
      }
    }
    return Optional.empty();
  }
}
