package dev.pacific.controlplane.scheduler;

import dev.pacific.api.Pod;
import java.util.Optional;

/**
 * A rule a host must pass to take a pod (Kubernetes' scheduler framework "Filter" extension
 * point). A rejection is a short reason ("insufficient memory") that the Unschedulable message
 * counts across hosts.
 */
public interface Filter {

  Optional<String> reject(Pod pod, HostView host);
}
