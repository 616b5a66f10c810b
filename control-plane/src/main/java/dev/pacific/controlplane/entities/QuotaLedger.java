package dev.pacific.controlplane.entities;

import dev.pacific.api.ObjectMeta;
import dev.pacific.api.Quantity;
import dev.pacific.api.ResourceList;
import dev.pacific.api.ResourceQuota;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A namespace's resource quotas and what its pods hold against them. Pure and immutable: the
 * namespace entity keeps one in its durable state and replaces it on every change.
 *
 * <p>Reservations are kept only while the namespace has a quota ({@code counting}): without one,
 * admission has nothing to check, and a record per pod would cost a namespace write on every pod
 * create. When the first quota arrives, usage is unknown until a reconcile has counted the pods in
 * the registry; until then admission refuses, as Kubernetes refuses while a quota's
 * {@code status.used} is not yet computed ("status unknown for quota").
 *
 * <p>The stored quotas carry their status ({@code hard} mirrors {@code spec.hard}, {@code used} the
 * sum of reservations for each hard key, zeros included), so lists and watches read them as they are.
 */
public record QuotaLedger(SortedMap<String, ResourceQuota> quotas, Reservations reservations, boolean counting) {

  /** How an admission ended. */
  public sealed interface Admission {
    /** Reserved now (or nothing to reserve: no quota); {@code ledger} is the next state. */
    record Admitted(QuotaLedger ledger) implements Admission {}

    /** This pod uid already holds a reservation: a retry, nothing is reserved twice. */
    record AlreadyReserved() implements Admission {}

    /** Over a quota, or unknown usage: Kubernetes' reason, to answer 403 Forbidden with. */
    record Refused(String reason) implements Admission {}
  }

  private static final QuotaLedger EMPTY = new QuotaLedger(new TreeMap<>(), Reservations.empty(), false);

  public QuotaLedger {
    quotas = Collections.unmodifiableSortedMap(new TreeMap<>(quotas == null ? Map.of() : quotas));
    reservations = reservations == null ? Reservations.empty() : reservations;
  }

  public static QuotaLedger empty() {
    return EMPTY;
  }

  /** What the pods hold, summed over every reservation. */
  public ResourceList used() {
    return reservations.total();
  }

  /**
   * Admits a pod (uid, name for messages, what it counts) against every quota, in name order, as
   * Kubernetes' quota admission does: a tracked compute key some container leaves unstated refuses
   * ("failed quota: …: must specify …"), and so does any requested key whose new total would pass
   * its hard limit ("exceeded quota: …"). A retry with the same uid reserves nothing twice.
   */
  public Admission admit(String podUid, ResourceList usage, SortedMap<String, SortedSet<String>> unstated,
                         long nowMillis) {
    if (quotas.isEmpty()) {
      return new Admission.Admitted(this);
    }
    if (reservations.holds(podUid)) {
      return new Admission.AlreadyReserved();
    }
    if (!counting) {
      ResourceQuota first = quotas.values().iterator().next();
      return new Admission.Refused("status unknown for quota: " + first.metadata().name() + ", resources: "
          + String.join(",", hard(first).keySet()));
    }
    ResourceList used = used();
    for (ResourceQuota q : quotas.values()) {
      String refusal = check(q, used, usage, unstated);
      if (refusal != null) {
        return new Admission.Refused(refusal);
      }
    }
    return new Admission.Admitted(new QuotaLedger(quotas, reservations.with(podUid, usage, nowMillis), true)
        .refreshed());
  }

  /** Frees what the pod held; the same ledger when it held nothing (release is idempotent). */
  public QuotaLedger release(String podUid) {
    return reservations.holds(podUid) ? new QuotaLedger(quotas, reservations.without(podUid), counting).refreshed()
        : this;
  }

  public boolean holds(String podUid) {
    return reservations.holds(podUid);
  }

  /**
   * Adds or replaces a quota (its status computed here, whatever the caller sent). The first quota
   * of a namespace starts with usage unknown until {@link #reconciled}.
   */
  public QuotaLedger withQuota(ResourceQuota quota) {
    TreeMap<String, ResourceQuota> next = new TreeMap<>(quotas);
    next.put(quota.metadata().name(), quota);
    return new QuotaLedger(next, reservations, !quotas.isEmpty() && counting).refreshed();
  }

  /** A new quota of namespace {@code namespace}: its metadata stamped (uid, creation time), status computed. */
  public QuotaLedger created(ResourceQuota quota, String namespace, String uid, String now) {
    ObjectMeta m = quota.metadata().withNamespace(namespace).withResourceVersion(null).withCreationTimestamp(now)
        .withUid(quota.metadata().uid() != null ? quota.metadata().uid() : uid);
    return withQuota(new ResourceQuota(m, quota.spec(), null));
  }

  /** A quota replaced by a client's update: its spec, labels and annotations; identity and status stay ours. */
  public QuotaLedger replaced(ResourceQuota old, ResourceQuota given) {
    ObjectMeta m = old.metadata().withLabels(given.metadata().labels()).withAnnotations(given.metadata().annotations());
    return withQuota(new ResourceQuota(m, given.spec(), null));
  }

  /** Removes a quota; with the last one gone, reservations are no longer kept. */
  public QuotaLedger withoutQuota(String name) {
    TreeMap<String, ResourceQuota> next = new TreeMap<>(quotas);
    next.remove(name);
    return next.isEmpty() ? EMPTY : new QuotaLedger(next, reservations, counting).refreshed();
  }

  /**
   * Reservations recomputed from the pods that exist ({@link Reservations#reconcile}); afterwards
   * usage is known. Without a quota there is nothing to count.
   */
  public Reconciliation reconciled(Map<String, ResourceList> live, Set<String> releasedSinceRead, long nowMillis,
                                   long graceMillis) {
    if (quotas.isEmpty()) {
      return new Reconciliation(this, null);
    }
    Reservations.Reconciled r = reservations.reconcile(live, releasedSinceRead, nowMillis, graceMillis);
    return new Reconciliation(new QuotaLedger(quotas, r.next(), true).refreshed(), r);
  }

  /** A reconcile's next ledger and what it changed ({@code null} when nothing was counted). */
  public record Reconciliation(QuotaLedger ledger, Reservations.Reconciled changes) {}

  /** The quotas as stored: {@code status.hard} = {@code spec.hard}, {@code status.used} per hard key. */
  private QuotaLedger refreshed() {
    ResourceList used = used();
    TreeMap<String, ResourceQuota> next = new TreeMap<>();
    quotas.forEach((name, q) -> {
      ResourceList hard = hard(q);
      ResourceList usedOfHard = ResourceList.of(hard.keySet().stream()
          .collect(Collectors.toMap(k -> k, used::getOrZero, (a, b) -> a, TreeMap::new)));
      next.put(name, new ResourceQuota(q.apiVersion(), q.kind(), q.metadata(), q.spec(),
          new ResourceQuota.Status(hard, usedOfHard)));
    });
    return new QuotaLedger(next, reservations, counting);
  }

  private static ResourceList hard(ResourceQuota q) {
    return q.spec() == null ? ResourceList.empty() : q.spec().hard();
  }

  /** Kubernetes' {@code checkRequest} for one quota: null when the pod fits, else the refusal. */
  private static String check(ResourceQuota q, ResourceList used, ResourceList usage,
                              SortedMap<String, SortedSet<String>> unstated) {
    String name = q.metadata().name();
    ResourceList hard = hard(q);
    Set<String> tracked = new TreeSet<>(hard.keySet());
    tracked.retainAll(PodUsage.QUOTA_KEYS);
    List<String> missing = new ArrayList<>();
    unstated.forEach((key, containers) -> {
      if (tracked.contains(key)) {
        missing.add(key + " for: " + String.join(",", containers));
      }
    });
    if (!missing.isEmpty()) {
      return "failed quota: " + name + ": must specify " + String.join("; ", missing);
    }
    Map<String, Quantity> requested = new TreeMap<>();
    Map<String, Quantity> usedOf = new TreeMap<>();
    Map<String, Quantity> limited = new TreeMap<>();
    for (String key : tracked) {
      Quantity asked = usage.getOrZero(key);
      if (!asked.isZero() && used.getOrZero(key).add(asked).compareTo(hard.get(key)) > 0) {
        requested.put(key, asked);
        usedOf.put(key, used.getOrZero(key));
        limited.put(key, hard.get(key));
      }
    }
    if (requested.isEmpty()) {
      return null;
    }
    return "exceeded quota: " + name + ", requested: " + pretty(requested) + ", used: " + pretty(usedOf)
        + ", limited: " + pretty(limited);
  }

  /** Kubernetes' {@code prettyPrint}: {@code key=value} in key order, joined by commas. */
  private static String pretty(Map<String, Quantity> list) {
    return list.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
  }
}
