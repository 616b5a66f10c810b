package dev.pacific.controlplane.entities;

import dev.pacific.api.Node;
import dev.pacific.api.NodeCondition;
import dev.pacific.api.Quantity;
import dev.pacific.api.ResourceList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether a pod fits on a host, given what the host's reservations already hold: the rules of the
 * Kubernetes scheduler's NodeUnschedulable and NodeResourcesFit filters, applied by the host entity
 * as the one authority, so concurrent binds never overcommit {@code status.allocatable}. Pure.
 *
 * <p>Reasons use the scheduler's own words ("Insufficient cpu", "Too many pods", "node(s) were
 * unschedulable") so the scheduler can list them as Kubernetes does ("0/3 nodes are available: …").
 */
public final class HostCapacity {

  /** CONTRACT.md: a host in maintenance has {@code spec.unschedulable} and this annotation "true". */
  public static final String MAINTENANCE_ANNOTATION = "pacific.dev/maintenance";

  public static final String IN_MAINTENANCE = "node(s) were in maintenance";
  public static final String UNSCHEDULABLE = "node(s) were unschedulable";
  public static final String NOT_READY = "node(s) were not ready";
  public static final String INSUFFICIENT_CPU = "Insufficient cpu";
  public static final String INSUFFICIENT_MEMORY = "Insufficient memory";
  public static final String TOO_MANY_PODS = "Too many pods";

  private static final Quantity ONE = Quantity.parse("1");

  /** How a reservation ended. */
  public sealed interface Decision {
    /** Reserved; {@code next} holds the pod now. */
    record Reserved(Reservations next) implements Decision {}

    /** The pod uid already holds a reservation here: a retry, nothing is reserved twice. */
    record AlreadyReserved() implements Decision {}

    /** Does not fit, for these reasons (state first, then every short resource). */
    record Refused(List<String> reasons) implements Decision {}
  }

  private HostCapacity() {}

  /**
   * Reserves {@code requests} (the pod's effective requests, {@link PodUsage#requests}) for a pod
   * on {@code node}. A host that takes no pods (maintenance, cordoned, not Ready) refuses for that
   * reason alone, as the scheduler stops at the first failing filter; otherwise every resource that
   * falls short is named. A resource the pod does not request always fits (NodeResourcesFit).
   */
  public static Decision reserve(Node node, Reservations held, String podUid, ResourceList requests, long nowMillis,
                                 long defaultMaxPods) {
    if (held.holds(podUid)) {
      return new Decision.AlreadyReserved();
    }
    List<String> reasons = refusal(node, held.total(), requests, defaultMaxPods);
    if (!reasons.isEmpty()) {
      return new Decision.Refused(reasons);
    }
    return new Decision.Reserved(held.with(podUid, amount(requests), nowMillis));
  }

  /**
   * Why a pod asking {@code requests} does not fit on {@code node} beside what is {@code used} there (the total of
   * its reservations): the host's state alone if it takes no pods, otherwise every resource that falls short; empty
   * when it fits. {@link #reserve} for callers that keep the total up to date across many reservations.
   */
  public static List<String> refusal(Node node, ResourceList used, ResourceList requests, long defaultMaxPods) {
    String state = notAccepting(node);
    if (state != null) {
      return List.of(state);
    }
    ResourceList allocatable = allocatable(node);
    List<String> reasons = new ArrayList<>();
    if (exceeds(requests.getOrZero(PodUsage.CPU), used.getOrZero(PodUsage.CPU),
        allocatable.getOrZero(PodUsage.CPU))) {
      reasons.add(INSUFFICIENT_CPU);
    }
    if (exceeds(requests.getOrZero(PodUsage.MEMORY), used.getOrZero(PodUsage.MEMORY),
        allocatable.getOrZero(PodUsage.MEMORY))) {
      reasons.add(INSUFFICIENT_MEMORY);
    }
    Quantity maxPods = allocatable.containsKey(PodUsage.PODS) ? allocatable.get(PodUsage.PODS)
        : Quantity.of(defaultMaxPods, Quantity.Format.DECIMAL_SI);
    if (used.getOrZero(PodUsage.PODS).add(ONE).compareTo(maxPods) > 0) {
      reasons.add(TOO_MANY_PODS);
    }
    return List.copyOf(reasons);
  }

  /** What a pod holds on its host: its cpu and memory requests and one pod slot. */
  public static ResourceList amount(ResourceList requests) {
    Map<String, Quantity> amount = new TreeMap<>();
    amount.put(PodUsage.PODS, ONE);
    for (String r : List.of(PodUsage.CPU, PodUsage.MEMORY)) {
      if (!requests.getOrZero(r).isZero()) {
        amount.put(r, requests.get(r));
      }
    }
    return ResourceList.of(amount);
  }

  /** Why the host takes no new pods at all, or null when it does. */
  public static String notAccepting(Node node) {
    boolean maintenance = node.metadata() != null
        && "true".equals(node.metadata().annotations().get(MAINTENANCE_ANNOTATION));
    if (maintenance) {
      return IN_MAINTENANCE;
    }
    if (node.spec() != null && node.spec().unschedulable()) {
      return UNSCHEDULABLE;
    }
    NodeCondition ready = node.readyCondition();
    return ready != null && "True".equals(ready.status()) ? null : NOT_READY;
  }

  /** {@code status.allocatable}, or the capacity when the host reports none (Kubernetes' default). */
  public static ResourceList allocatable(Node node) {
    if (node.status() == null) {
      return ResourceList.empty();
    }
    return node.status().allocatable().isEmpty() ? node.status().capacity() : node.status().allocatable();
  }

  private static boolean exceeds(Quantity asked, Quantity used, Quantity allocatable) {
    return !asked.isZero() && used.add(asked).compareTo(allocatable) > 0;
  }
}
