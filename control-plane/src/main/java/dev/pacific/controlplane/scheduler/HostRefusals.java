package dev.pacific.controlplane.scheduler;

import dev.pacific.api.Pod;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A filter fed by the hosts themselves: a host that refused a pod's reservation (its reservations
 * knew of pods the scheduler's view did not) is not tried again for that pod, and its reason
 * shows in the pod's Unschedulable message. Forgotten once the pod is bound or the cluster changes.
 */
final class HostRefusals implements Filter {

  private final Map<String, Map<String, String>> byPodUid = new HashMap<>();

  void refused(Pod pod, String host, String reason) {
    byPodUid.computeIfAbsent(pod.metadata().uid(), u -> new HashMap<>()).put(host, reason);
  }

  void forget(Pod pod) {
    byPodUid.remove(pod.metadata().uid());
  }

  void clear() {
    byPodUid.clear();
  }

  @Override
  public Optional<String> reject(Pod pod, HostView host) {
    Map<String, String> refusals = byPodUid.get(pod.metadata().uid());
    return refusals == null ? Optional.empty() : Optional.ofNullable(refusals.get(host.name()));
  }
}
