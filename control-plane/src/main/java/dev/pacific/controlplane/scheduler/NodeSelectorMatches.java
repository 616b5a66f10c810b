package dev.pacific.controlplane.scheduler;

import dev.pacific.api.Pod;
import java.util.Map;
import java.util.Optional;

/** {@code spec.nodeSelector}: every key must be a label of the host with that value. */
public final class NodeSelectorMatches implements Filter {

  @Override
  public Optional<String> reject(Pod pod, HostView host) {
    Map<String, String> wanted = pod.spec().nodeSelector();
    if (wanted == null || wanted.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> labels = host.node().metadata().labels();
    boolean matches = wanted.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    return matches ? Optional.empty() : Optional.of("node selector mismatch");
  }
}
