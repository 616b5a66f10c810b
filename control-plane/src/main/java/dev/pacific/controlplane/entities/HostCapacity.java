package dev.pacific.controlplane.entities;

import dev.pacific.api.Node;
import dev.pacific.api.NodeCondition;
import dev.pacific.api.PodResources;
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

  private HostCapacity() {}

  /**
   * A host's reservations changed by a batch of reserves and releases, each decided against the ones before it, on
   * one copy with a running total (a host of a thousand pods taking a burst of binds would otherwise copy and sum
   * every reservation for each change). Not thread-safe; one per batch.
   */
  public static final class Batch {
    private final Node node;
    private final long nowMillis;
    private final long defaultMaxPods;
    private final Reservations before;
    private final TreeMap<String, Reservations.Reservation> held;
    private ResourceList used;
    private boolean changed;

    public Batch(Node node, Reservations held, long nowMillis, long defaultMaxPods) {
      this.node = node;
      this.nowMillis = nowMillis;
      this.defaultMaxPods = defaultMaxPods;
      this.before = held;
      this.held = new TreeMap<>(held.byUid());
      this.used = held.total();
    }

    /**
     * Reserves {@code requests} (the pod's effective requests, {@link PodUsage#requests}) for the pod; returns the
     * reasons it does not fit ({@link #refusal}), empty when reserved. A pod that already holds a reservation here
     * is a retry: reserved, nothing twice.
     */
    public List<String> reserve(String podUid, ResourceList requests) {
      if (held.containsKey(podUid)) {
        return List.of();
      }
      List<String> reasons = refusal(node, used, requests, defaultMaxPods);
      if (reasons.isEmpty()) {
        ResourceList amount = amount(requests);
        held.put(podUid, new Reservations.Reservation(amount, nowMillis));
        used = PodResources.add(used, amount);
        changed = true;
      }
      return reasons;
    }

    /** Frees what the pod holds; idempotent. */
    public void release(String podUid) {
      Reservations.Reservation gone = held.remove(podUid);
      if (gone != null) {
        used = PodResources.subtract(used, gone.amount());
        changed = true;
      }
    }

    /** The reservations after the batch: the very object it started from when nothing changed. */
    public Reservations result() {
      return changed ? new Reservations(held) : before;
    }
  }

  /**
   * Why a pod asking {@code requests} does not fit on {@code node} beside what is {@code used} there (the total of
   * its reservations): the host's state alone if it takes no pods (as the scheduler stops at the first failing
   * filter), otherwise every resource that falls short; empty when it fits. A resource the pod does not request
   * always fits (NodeResourcesFit).
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
