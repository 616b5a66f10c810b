package dev.pacific.controlplane.scheduler;

import dev.pacific.api.Pod;
import java.util.Objects;
import java.util.Optional;

/**
 * Pacific's form of Kubernetes' required pod anti-affinity with topology key hostname: a pod
 * annotated {@code pacific.dev/anti-affinity: <label key>} never shares a host with another pod of
 * its namespace that has the same value for that label (replicas of one app on different hosts,
 * so losing a host loses one replica). A pod without the label is not constrained.
 */
public final class LabelAntiAffinity implements Filter {

  public static final String ANNOTATION = "pacific.dev/anti-affinity";

  @Override
  public Optional<String> reject(Pod pod, HostView host) {
    String key = pod.metadata().annotations().get(ANNOTATION);
    String value = key == null ? null : pod.metadata().labels().get(key);
    if (value == null) {
      return Optional.empty();
    }
    boolean clash = host.pods().stream().anyMatch(other ->
        Objects.equals(other.metadata().namespace(), pod.metadata().namespace())
            && !Objects.equals(other.metadata().name(), pod.metadata().name())
            && value.equals(other.metadata().labels().get(key)));
    return clash ? Optional.of("anti-affinity (" + key + "=" + value + ")") : Optional.empty();
  }
}
