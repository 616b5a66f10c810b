package dev.pacific.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * {@code spec} of a Pod, the subset of Kubernetes' v1 PodSpec that Pacific runs. {@code nodeName}
 * is the host the scheduler bound the pod to; {@code restartPolicy} is Always, OnFailure or Never.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PodSpec(
    List<Container> initContainers,
    List<Container> containers,
    String restartPolicy,
    Long terminationGracePeriodSeconds,
    Long activeDeadlineSeconds,
    Map<String, String> nodeSelector,
    String nodeName,
    String hostname,
    String schedulerName,
    Integer priority) {

  public PodSpec {
    initContainers = Frozen.list(initContainers);
    containers = Frozen.list(containers);
    nodeSelector = Frozen.map(nodeSelector);
  }

  /** The common case: containers and a restart policy, nothing bound yet. */
  public static PodSpec of(List<Container> containers, String restartPolicy) {
    return new PodSpec(List.of(), containers, restartPolicy, null, null, Map.of(), null, null, null, null);
  }

  /** The same spec bound to a host, as the scheduler's binding does. */
  public PodSpec withNodeName(String host) {
    return new PodSpec(initContainers, containers, restartPolicy, terminationGracePeriodSeconds,
        activeDeadlineSeconds, nodeSelector, host, hostname, schedulerName, priority);
  }
}
