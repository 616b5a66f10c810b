package dev.pacific.host.spherelet;

import dev.pacific.api.Container;
import dev.pacific.api.Pod;
import dev.pacific.host.runtime.RunningInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Kubernetes' rules the reconciler applies to one pod: whether it runs, how long it may take to stop, what to adopt. */
final class PodRules {

  private PodRules() {}

  /** Kubernetes' default {@code terminationGracePeriodSeconds}. */
  private static final long DEFAULT_GRACE_SECONDS = 30;

  /** Being deleted, or being moved off this host (stopped and confirmed the same way). */
  static boolean terminating(Pod pod) {
    return pod.metadata().isTerminating()
        || pod.metadata().annotations().containsKey(dev.pacific.wire.HostGatewayProtocol.EVICTING_ANNOTATION);
  }

  /**
   * Ended for good as the registry records it: a kubelet never runs a pod in phase Succeeded or
   * Failed again (a {@code Never} pod failed as NodeLost must not come back on its old host).
   */
  static boolean finished(Pod pod) {
    String phase = pod.status() == null ? null : pod.status().phase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  /** The grace of a graceful deletion: what the delete asked for, else the pod's own. */
  static Duration deletionGrace(Pod pod) {
    Long asked = pod.metadata().deletionGracePeriodSeconds();
    return asked != null ? Duration.ofSeconds(Math.max(0, asked)) : specGrace(pod);
  }

  static Duration specGrace(Pod pod) {
    Long own = pod.spec().terminationGracePeriodSeconds();
    return Duration.ofSeconds(own != null ? Math.max(0, own) : DEFAULT_GRACE_SECONDS);
  }

  /** Which running instances of one pod a new agent takes over, and which must stop. */
  record Adoption(Map<String, RunningInstance> adopt, List<RunningInstance> stop) {}

  /**
   * One instance per container of the pod's spec is adopted, the newest; any other (a container
   * no longer in the spec, or a second instance of one, which only an interrupted start can
   * leave) is stopped, so that no container runs twice.
   */
  static Adoption adoption(Pod pod, List<RunningInstance> running) {
    Set<String> names = pod.spec().containers().stream().map(Container::name).collect(Collectors.toSet());
    Map<String, RunningInstance> adopt = new LinkedHashMap<>();
    List<RunningInstance> stop = new ArrayList<>();
    List<RunningInstance> newestFirst = new ArrayList<>(running);
    newestFirst.sort(Comparator.comparing((RunningInstance i) -> i.container().startedAt()).reversed());
    for (RunningInstance i : newestFirst) {
      String name = i.launch().container();
      if (names.contains(name) && !adopt.containsKey(name)) {
        adopt.put(name, i);
      } else {
        stop.add(i);
      }
    }
    return new Adoption(adopt, stop);
  }
}
