package dev.pacific.controlplane.scheduler;

import dev.pacific.api.Container;
import dev.pacific.api.Node;
import dev.pacific.api.NodeCondition;
import dev.pacific.api.ObjectMeta;
import dev.pacific.api.Pod;
import dev.pacific.api.PodSpec;
import dev.pacific.api.ResourceList;
import dev.pacific.api.ResourceRequirements;
import java.util.List;
import java.util.Map;

/** Nodes and pods for placement tests, built the way hosts and users send them. */
public final class Hosts {

  private Hosts() {}

  public static Node node(String name, String cpu, String memory, int maxPods) {
    return node(name, cpu, memory, maxPods, "True", false, Map.of(), Map.of());
  }

  public static Node node(String name, String cpu, String memory, int maxPods, String ready, boolean unschedulable,
      Map<String, String> labels, Map<String, String> annotations) {
    Map<String, String> capacity = Map.of("cpu", cpu, "memory", memory, "pods", String.valueOf(maxPods));
    return new Node(new ObjectMeta(name, null, null, null, null, labels, annotations),
        new Node.Spec(unschedulable),
        new Node.Status(capacity, capacity,
            List.of(new NodeCondition("Ready", ready, null, null, null, null)), List.of(), null));
  }

  public static Pod pod(String name, String cpu, String memory) {
    return pod("default", name, cpu, memory, Map.of(), Map.of(), Map.of());
  }

  public static Pod pod(String namespace, String name, String cpu, String memory, Map<String, String> labels,
      Map<String, String> annotations, Map<String, String> nodeSelector) {
    ResourceList requests = ResourceList.parse(Map.of("cpu", cpu, "memory", memory));
    Container c = new Container("main", "busybox", List.of("sleep"), List.of(), null, List.of(), List.of(),
        new ResourceRequirements(ResourceList.empty(), requests), null, null, null, null);
    PodSpec spec = new PodSpec(List.of(), List.of(c), "Always", 30L, null, nodeSelector, null, null, null, null);
    return new Pod("v1", "Pod", new ObjectMeta(name, namespace, "uid-" + name, null, null, labels, annotations),
        spec, null);
  }

  public static HostView view(Node node, Pod... bound) {
    return new HostView(node, List.of(bound));
  }
}
