package dev.pacific.controlplane.scheduler;

import dev.pacific.api.Node;
import dev.pacific.api.Pod;
import dev.pacific.api.PodResources;
import dev.pacific.api.ResourceList;
import java.util.List;

/**
 * One host as placement sees it: its Node, and the pods already bound to it (whose requests are
 * taken out of its allocatable).
 */
public record HostView(Node node, List<Pod> pods) {

  public HostView {
    pods = List.copyOf(pods);
  }

  public String name() {
    return node.metadata().name();
  }

  /** {@code status.allocatable}, or the capacity when the host reported no allocatable. */
  public ResourceList allocatable() {
    if (node.status() == null) {
      return ResourceList.empty();
    }
    return node.status().allocatable().isEmpty() ? node.status().capacity() : node.status().allocatable();
  }

  /** The summed effective requests of the pods bound here. */
  public ResourceList requested() {
    ResourceList sum = ResourceList.empty();
    for (Pod p : pods) {
      sum = PodResources.add(sum, PodResources.requests(p.spec()));
    }
    return sum;
  }

  /** This host with {@code pod} bound to it too (what the next decision of a batch sees). */
  public HostView with(Pod pod) {
    var more = new java.util.ArrayList<>(pods);
    more.add(pod);
    return new HostView(node, more);
  }
}
