package dev.pacific.controlplane.scheduler;

import dev.pacific.api.Node;
import dev.pacific.api.Pod;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.RegistryReader;
import dev.pacific.controlplane.quorum.WatchEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The scheduler's picture of the cluster, fed by the registry's list and watch: every Node, every
 * pod that has not finished, and the pods it has decided on but not yet seen bound (Kubernetes'
 * "assumed" pods), so the next batch counts them against their host. {@link #generation()} moves
 * when room may have appeared (a node added or changed, a pod gone from a host), which is when
 * unschedulable pods are worth another try.
 */
final class ClusterView {

  private final Map<String, Node> nodes = new TreeMap<>();
  private final Map<ObjectRef, Pod> pods = new LinkedHashMap<>();
  private final Map<ObjectRef, String> assumed = new HashMap<>();
  private long generation;

  void node(WatchEvent.Type type, RegistryReader.Record record) {
    Node node = (Node) record.state().object();
    if (type == WatchEvent.Type.DELETED || node == null) {
      nodes.remove(record.ref().name());
    } else {
      nodes.put(record.ref().name(), node);
    }
    generation++;
  }

  /**
   * Follows one pod change; returns the host the pod left (deleted, finished, moved elsewhere), or null, so the
   * scheduler frees what it held there at once instead of waiting for the host's reconcile.
   */
  String pod(WatchEvent.Type type, RegistryReader.Record record) {
    Pod now = type == WatchEvent.Type.DELETED ? null : (Pod) record.state().object();
    if (now != null && isFinished(now)) {
      now = null; // a finished pod holds nothing: forget it like a deleted one
    }
    Pod before = now == null ? pods.remove(record.ref()) : pods.put(record.ref(), now);
    String was = before == null ? null : before.spec().nodeName();
    boolean left = was != null && (now == null || !was.equals(now.spec().nodeName()));
    if (left) {
      generation++; // room on "was"
    }
    if (now == null || now.spec().nodeName() != null) {
      assumed.remove(record.ref());
    }
    return left ? was : null;
  }

  long generation() {
    return generation;
  }

  void assume(ObjectRef ref, String host) {
    assumed.put(ref, host);
  }

  /** How many pods are assumed on a host and not yet seen bound. */
  int assumed() {
    return assumed.size();
  }

  /** Drops the assumption that {@code ref} is on a host; whether there was one. */
  boolean forget(ObjectRef ref) {
    return assumed.remove(ref) != null;
  }

  Pod pod(ObjectRef ref) {
    return pods.get(ref);
  }

  /** Pods waiting for a host: unbound, not terminating, not already decided. */
  List<Map.Entry<ObjectRef, Pod>> pending() {
    List<Map.Entry<ObjectRef, Pod>> out = new ArrayList<>();
    for (var e : pods.entrySet()) {
      Pod p = e.getValue();
      if (p.spec().nodeName() == null && !p.metadata().isTerminating() && !assumed.containsKey(e.getKey())) {
        out.add(e);
      }
    }
    return out;
  }

  /** Every node with the pods bound to it or assumed there. */
  List<HostView> hosts() {
    Map<String, List<Pod>> byHost = new HashMap<>();
    for (var e : pods.entrySet()) {
      String host = e.getValue().spec().nodeName() != null ? e.getValue().spec().nodeName() : assumed.get(e.getKey());
      if (host != null) {
        byHost.computeIfAbsent(host, h -> new ArrayList<>()).add(e.getValue());
      }
    }
    List<HostView> out = new ArrayList<>(nodes.size());
    nodes.forEach((name, node) -> out.add(new HostView(node, byHost.getOrDefault(name, List.of()))));
    return out;
  }

  static boolean isFinished(Pod pod) {
    String phase = pod.status() == null ? null : pod.status().phase();
    return Objects.equals(phase, "Succeeded") || Objects.equals(phase, "Failed");
  }
}
