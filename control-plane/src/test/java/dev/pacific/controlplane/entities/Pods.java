package dev.pacific.controlplane.entities;

import dev.pacific.api.Container;
import dev.pacific.api.ObjectMeta;
import dev.pacific.api.Pod;
import dev.pacific.api.PodSpec;
import dev.pacific.api.PodStatus;
import dev.pacific.api.ResourceList;
import dev.pacific.api.ResourceRequirements;
import java.util.List;
import java.util.Map;

/** Pods for entity tests: one container with the given requests and limits. */
final class Pods {

  private Pods() {}

  static Container container(String name, Map<String, String> requests, Map<String, String> limits) {
    Container c = Container.of(name, "busybox");
    return new Container(c.name(), c.image(), c.command(), c.args(), c.workingDir(), c.ports(), c.env(),
        new ResourceRequirements(ResourceList.parse(limits), ResourceList.parse(requests)), null, null, null, null);
  }

  static Pod pod(String namespace, String name, String uid, Container... containers) {
    return new Pod(new ObjectMeta(name, namespace, uid, null, null, Map.of(), Map.of()),
        PodSpec.of(List.of(containers), "Always"), PodStatus.phase("Pending"));
  }

  /** A pod whose one container requests and limits {@code cpu} and {@code memory}. */
  static Pod sized(String namespace, String name, String uid, String cpu, String memory) {
    Map<String, String> r = Map.of("cpu", cpu, "memory", memory);
    return pod(namespace, name, uid, container("app", r, r));
  }

  static Pod bound(Pod pod, String node) {
    return pod.withSpec(pod.spec().withNodeName(node));
  }

  static Pod phase(Pod pod, String phase) {
    return pod.withStatus(PodStatus.phase(phase));
  }
}
