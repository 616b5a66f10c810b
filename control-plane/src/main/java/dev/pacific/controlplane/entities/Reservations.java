package dev.pacific.controlplane.entities;

import dev.pacific.api.Quantity;
import dev.pacific.api.ResourceList;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Amounts held for pods, keyed by pod uid, with when each was taken. A write that spans two
 * entities (a namespace's quota and the pod; a host's capacity and the bind) is an idempotent
 * reservation by uid here, and {@link #reconcile} recomputes them from the pods the registry holds,
 * so a crash between the two writes leaks nothing (ARCHITECTURE.md, "Writes that span entities").
 * Immutable; part of the namespace's and the host's durable state.
 */
public record Reservations(SortedMap<String, Reservation> byUid) {

  /** What one pod holds, and when (epoch millis, the reserving member's clock) it was reserved. */
  public record Reservation(ResourceList amount, long reservedAtMillis) {}

  /** What a {@link #reconcile} changed: reservations dropped (no pod) and added (a pod without one). */
  public record Reconciled(Reservations next, SortedSet<String> dropped, SortedSet<String> added,
                           SortedSet<String> corrected) {
    public boolean changed() {
      return !dropped.isEmpty() || !added.isEmpty() || !corrected.isEmpty();
    }
  }

  private static final Reservations EMPTY = new Reservations(new TreeMap<>());

  public Reservations {
    byUid = Collections.unmodifiableSortedMap(new TreeMap<>(byUid == null ? Map.of() : byUid));
  }

  public static Reservations empty() {
    return EMPTY;
  }

  public boolean holds(String podUid) {
    return byUid.containsKey(podUid);
  }

  public int size() {
    return byUid.size();
  }

  /** A copy that holds {@code amount} for the pod; the caller checks {@link #holds} first (idempotence). */
  public Reservations with(String podUid, ResourceList amount, long nowMillis) {
    TreeMap<String, Reservation> copy = new TreeMap<>(byUid);
    copy.put(podUid, new Reservation(amount, nowMillis));
    return new Reservations(copy);
  }

  /** A copy without the pod's reservation; the same when there is none (release is idempotent). */
  public Reservations without(String podUid) {
    if (!byUid.containsKey(podUid)) {
      return this;
    }
    TreeMap<String, Reservation> copy = new TreeMap<>(byUid);
    copy.remove(podUid);
    return new Reservations(copy);
  }

  /** The sum of every reservation, per resource. */
  public ResourceList total() {
    Map<String, Quantity> sum = new TreeMap<>();
    byUid.values().forEach(r -> r.amount().forEach((k, v) -> sum.merge(k, v, Quantity::add)));
    return ResourceList.of(sum);
  }

  /**
   * Recomputes the reservations from {@code live}: the pods that exist now (uid to what they hold),
   * read from the registry. A reservation without a pod is dropped once it is {@code graceMillis}
   * old (younger ones may belong to a create still in flight between "reserved" and "pod written");
   * a pod without a reservation gets one; a reservation whose amount differs from its pod's is
   * corrected. Pods in {@code releasedSinceRead} were released after {@code live} was read, so their
   * presence in it is stale and they are not added back.
   */
  public Reconciled reconcile(Map<String, ResourceList> live, Set<String> releasedSinceRead, long nowMillis,
                              long graceMillis) {
    TreeMap<String, Reservation> next = new TreeMap<>(byUid);
    SortedSet<String> dropped = new TreeSet<>();
    SortedSet<String> added = new TreeSet<>();
    SortedSet<String> corrected = new TreeSet<>();
    byUid.forEach((uid, r) -> {
      ResourceList actual = live.get(uid);
      if (actual == null && nowMillis - r.reservedAtMillis() >= graceMillis) {
        next.remove(uid);
        dropped.add(uid);
      } else if (actual != null && !actual.equals(r.amount())) {
        next.put(uid, new Reservation(actual, r.reservedAtMillis()));
        corrected.add(uid);
      }
    });
    live.forEach((uid, amount) -> {
      if (!byUid.containsKey(uid) && !releasedSinceRead.contains(uid)) {
        next.put(uid, new Reservation(amount, nowMillis));
        added.add(uid);
      }
    });
    return new Reconciled(new Reservations(next), dropped, added, corrected);
  }
}
