package dev.pacific.api;

import java.util.function.Function;

/**
 * What a pod asks of a host and of its namespace's quota, computed as Kubernetes does: per
 * resource, the larger of the sum over its containers and the largest single init container (init
 * containers run one at a time, before the others).
 */
public final class PodResources {

  private PodResources() {}

  /** The pod's effective {@code requests}: what placement reserves on a host. */
  public static ResourceList requests(PodSpec spec) {
    return effective(spec, ResourceRequirements::requests);
  }

  /** The pod's effective {@code limits}: recorded and counted by quotas, not enforced. */
  public static ResourceList limits(PodSpec spec) {
    return effective(spec, ResourceRequirements::limits);
  }

  private static ResourceList effective(PodSpec spec, Function<ResourceRequirements, ResourceList> which) {
    if (spec == null) {
      return ResourceList.empty();
    }
    ResourceList sum = ResourceList.empty();
    for (Container c : spec.containers()) {
      sum = add(sum, of(c, which));
    }
    for (Container init : spec.initContainers()) {
      for (var e : of(init, which).entrySet()) {
        if (e.getValue().compareTo(sum.getOrZero(e.getKey())) > 0) {
          sum = sum.with(e.getKey(), e.getValue());
        }
      }
    }
    return sum;
  }

  /** {@code a + b}, resource by resource. */
  public static ResourceList add(ResourceList a, ResourceList b) {
    ResourceList out = a;
    for (var e : b.entrySet()) {
      out = out.with(e.getKey(), out.getOrZero(e.getKey()).add(e.getValue()));
    }
    return out;
  }

  /** {@code a - b}, resource by resource (what a total holds once {@code b} is released from it). */
  public static ResourceList subtract(ResourceList a, ResourceList b) {
    ResourceList out = a;
    for (var e : b.entrySet()) {
      out = out.with(e.getKey(), out.getOrZero(e.getKey()).subtract(e.getValue()));
    }
    return out;
  }

  private static ResourceList of(Container c, Function<ResourceRequirements, ResourceList> which) {
    if (c.resources() == null) {
      return ResourceList.empty();
    }
    ResourceList r = which.apply(c.resources());
    return r == null ? ResourceList.empty() : r;
  }
}
