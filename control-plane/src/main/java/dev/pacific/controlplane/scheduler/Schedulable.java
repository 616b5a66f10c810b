package dev.pacific.controlplane.scheduler;

import dev.pacific.api.Pod;
import java.util.Map;
import java.util.Optional;

/**
 * A cordoned host ({@code spec.unschedulable}) takes no new pods; one in maintenance mode (also
 * annotated {@code pacific.dev/maintenance: "true"}, CONTRACT.md) says so in the reason.
 */
public final class Schedulable implements Filter {

  public static final String MAINTENANCE = "pacific.dev/maintenance";

  @Override
  public Optional<String> reject(Pod pod, HostView host) {
    if (host.node().spec() == null || !host.node().spec().unschedulable()) {
      return Optional.empty();
    }
    Map<String, String> annotations = host.node().metadata().annotations();
    return Optional.of("true".equals(annotations.get(MAINTENANCE)) ? "in maintenance" : "unschedulable");
  }
}
