package dev.pacific.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** A host as Kubernetes' v1 {@code Node}: what it offers, whether it takes pods, and whether it is Ready. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Node(String apiVersion, String kind, ObjectMeta metadata, Spec spec, Status status) {

  public Node(ObjectMeta metadata, Spec spec, Status status) {
    this("v1", "Node", metadata, spec, status);
  }

  /** {@code spec.unschedulable}: true while the host is in maintenance or cordoned. */
  public record Spec(boolean unschedulable) {}

  /** {@code status}: quantities are Kubernetes quantity strings ({@code "2"}, {@code "8Gi"}). */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Status(
      Map<String, String> capacity,
      Map<String, String> allocatable,
      List<NodeCondition> conditions,
      List<NodeAddress> addresses,
      DaemonEndpoints daemonEndpoints) {}

  /** Where the host's own HTTP endpoint listens (Kubernetes' kubelet endpoint). */
  public record DaemonEndpoints(KubeletEndpoint kubeletEndpoint) {}

  public record KubeletEndpoint(@com.fasterxml.jackson.annotation.JsonProperty("Port") int port) {}

  /** The {@code Ready} condition, or null when the host has not reported one. */
  public NodeCondition readyCondition() {
    if (status == null || status.conditions() == null) {
      return null;
    }
    return status.conditions().stream().filter(c -> "Ready".equals(c.type())).findFirst().orElse(null);
  }
}
