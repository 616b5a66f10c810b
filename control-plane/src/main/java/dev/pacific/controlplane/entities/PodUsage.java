package dev.pacific.controlplane.entities;

import dev.pacific.api.Container;
import dev.pacific.api.Pod;
import dev.pacific.api.PodSpec;
import dev.pacific.api.Quantity;
import dev.pacific.api.ResourceList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a pod asks for, counted the way Kubernetes counts it for placement (the scheduler's
 * {@code PodRequests}) and for quota (the pod quota evaluator). Pure functions of the pod spec.
 */
public final class PodUsage {

  public static final String CPU = "cpu";
  public static final String MEMORY = "memory";
  public static final String PODS = "pods";
  public static final String REQUESTS_CPU = "requests.cpu";
  public static final String REQUESTS_MEMORY = "requests.memory";
  public static final String LIMITS_CPU = "limits.cpu";
  public static final String LIMITS_MEMORY = "limits.memory";

  /** The quota keys Pacific counts (CONTRACT.md: {@code ResourceQuota.spec.hard} keys). */
  public static final Set<String> QUOTA_KEYS =
      Set.of(PODS, REQUESTS_CPU, REQUESTS_MEMORY, LIMITS_CPU, LIMITS_MEMORY);

  /** The compute keys for which every container must state a value once a quota tracks them. */
  private static final Set<String> CONSTRAINED_KEYS =
      Set.of(REQUESTS_CPU, REQUESTS_MEMORY, LIMITS_CPU, LIMITS_MEMORY);

  private PodUsage() {}

  /**
   * The pod's effective requests: per resource, the larger of the sum over its containers and the
   * largest init container, because init containers run one at a time before the app containers
   * (Kubernetes' resource helper {@code PodRequests}).
   */
  public static ResourceList requests(PodSpec spec) {
    return dev.pacific.api.PodResources.requests(spec);
  }

  /** The pod's effective limits, by the same rule as {@link #requests}. */
  public static ResourceList limits(PodSpec spec) {
    return dev.pacific.api.PodResources.limits(spec);
  }

  /**
   * What the pod counts against a namespace's quota: {@code pods: 1} and its effective requests and
   * limits of cpu and memory under the {@code requests.}/{@code limits.} keys. A terminal pod
   * (Succeeded or Failed) counts nothing, as Kubernetes' evaluator skips it.
   */
  public static ResourceList quotaUsage(Pod pod) {
    if (isTerminal(pod)) {
      return ResourceList.empty();
    }
    PodSpec spec = pod.spec();
    ResourceList requests = requests(spec);
    ResourceList limits = limits(spec);
    Map<String, Quantity> usage = new TreeMap<>();
    usage.put(PODS, Quantity.parse("1"));
    putIfNonZero(usage, REQUESTS_CPU, requests.getOrZero(CPU));
    putIfNonZero(usage, REQUESTS_MEMORY, requests.getOrZero(MEMORY));
    putIfNonZero(usage, LIMITS_CPU, limits.getOrZero(CPU));
    putIfNonZero(usage, LIMITS_MEMORY, limits.getOrZero(MEMORY));
    return ResourceList.of(usage);
  }

  /**
   * The compute quota keys ({@code requests.cpu}, …, {@code limits.memory}) that some container
   * leaves unstated, each with the names of those containers. Kubernetes refuses such a pod once a
   * quota tracks the key ("must specify requests.cpu for: app"): the pod quota evaluator's
   * {@code Constraints}, kept for backward compatibility since before QoS classes existed.
   */
  public static SortedMap<String, SortedSet<String>> unstated(PodSpec spec) {
    SortedMap<String, SortedSet<String>> missing = new TreeMap<>();
    if (spec == null) {
      return missing;
    }
    for (List<Container> containers : List.of(spec.containers(), spec.initContainers())) {
      for (Container c : containers) {
        for (String key : CONSTRAINED_KEYS) {
          if (!states(c, key)) {
            missing.computeIfAbsent(key, k -> new TreeSet<>()).add(c.name());
          }
        }
      }
    }
    return missing;
  }

  /** What each pod that is not terminal counts against quota, by pod uid: the registry's side of a reconcile. */
  public static Map<String, ResourceList> quotaUsageByUid(List<Pod> pods) {
    Map<String, ResourceList> live = new TreeMap<>();
    pods.stream().filter(p -> !isTerminal(p)).forEach(p -> live.put(p.metadata().uid(), quotaUsage(p)));
    return live;
  }

  /** What each pod bound to {@code node} and not terminal holds there ({@link HostCapacity#amount}), by pod uid. */
  public static Map<String, ResourceList> hostUsageByUid(List<Pod> pods, String node) {
    Map<String, ResourceList> live = new TreeMap<>();
    pods.stream().filter(p -> p.spec() != null && node.equals(p.spec().nodeName()) && !isTerminal(p))
        .forEach(p -> live.put(p.metadata().uid(), HostCapacity.amount(requests(p.spec()))));
    return live;
  }

  /** Succeeded or Failed: the pod holds no resources any more. */
  public static boolean isTerminal(Pod pod) {
    String phase = pod.status() == null ? null : pod.status().phase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private static boolean states(Container c, String key) {
    ResourceList list = key.startsWith("requests.") ? ContainerResources.requests(c) : ContainerResources.limits(c);
    return list.containsKey(key.substring(key.indexOf('.') + 1));
  }

  private static void putIfNonZero(Map<String, Quantity> usage, String key, Quantity q) {
    if (!q.isZero()) {
      usage.put(key, q);
    }
  }

  /** A container's requests and limits, empty when it states none. */
  private static final class ContainerResources {
    static ResourceList requests(Container c) {
      return c.resources() == null ? ResourceList.empty() : c.resources().requests();
    }

    static ResourceList limits(Container c) {
      return c.resources() == null ? ResourceList.empty() : c.resources().limits();
    }
  }
}
