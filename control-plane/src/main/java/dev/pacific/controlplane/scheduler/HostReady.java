package dev.pacific.controlplane.scheduler;

import dev.pacific.api.NodeCondition;
import dev.pacific.api.Pod;
import java.util.Optional;

/** Only a host whose {@code Ready} condition is True takes pods. */
public final class HostReady implements Filter {

  @Override
  public Optional<String> reject(Pod pod, HostView host) {
    NodeCondition ready = host.node().readyCondition();
    return ready != null && "True".equals(ready.status()) ? Optional.empty() : Optional.of("not ready");
  }
}
