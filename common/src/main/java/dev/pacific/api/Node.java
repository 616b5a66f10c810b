package dev.pacific.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** A host as Kubernetes' v1 {@code Node}: what it offers, whether it takes pods, and whether it is Ready. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Node(String apiVersion, String kind, ObjectMeta metadata, Spec spec, Status status) {

  public Node(ObjectMeta metadata, Spec spec, Status status) {
    this("v1", "Node", metadata, spec, status);
  }

  /** {@code spec.unschedulable}: true while the host is in maintenance or cordoned; omitted when false, as Kubernetes does. */
  public record Spec(@JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean unschedulable) {}

  /** {@code status}: capacity and allocatable are Kubernetes resource lists ({@code cpu: "2"}, {@code memory: 8Gi}). */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Status(
      ResourceList capacity,
      ResourceList allocatable,
      List<NodeCondition> conditions,
      List<NodeAddress> addresses,
      DaemonEndpoints daemonEndpoints) {

    public Status {
      capacity = Frozen.resources(capacity);
      allocatable = Frozen.resources(allocatable);
      conditions = Frozen.list(conditions);
      addresses = Frozen.list(addresses);
    }

    /**
     * From quantity strings ({@code "2"}, {@code "8Gi"}), the shape hosts report in.
     *
     * @throws IllegalArgumentException when a value is not a Kubernetes quantity
     */
    public Status(
        Map<String, String> capacity,
        Map<String, String> allocatable,
        List<NodeCondition> conditions,
        List<NodeAddress> addresses,
        DaemonEndpoints daemonEndpoints) {
      this(ResourceList.parse(capacity), ResourceList.parse(allocatable), conditions, addresses, daemonEndpoints);
    }
  }

  /** Where the host's own HTTP endpoint listens (Kubernetes' kubelet endpoint). */
  public record DaemonEndpoints(KubeletEndpoint kubeletEndpoint) {}

  public record KubeletEndpoint(@JsonProperty("Port") int port) {}

  /** The {@code Ready} condition, or null when the host has not reported one. */
  public NodeCondition readyCondition() {
    if (status == null) {
      return null;
    }
    return status.conditions().stream().filter(c -> "Ready".equals(c.type())).findFirst().orElse(null);
  }
}
