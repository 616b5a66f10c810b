package dev.pacific.controlplane.lb;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The balancer's view of its backends and the choice of one: least open connections among the
 * ready ones, ties broken in turn; only when none is ready, among the alive ones. Not thread
 * safe: owned by the {@link LoadBalancer} actor.
 */
final class BackendTable {

  /** Counters of one backend; {@code open} counts proxied connections not yet closed both ways. */
  static final class Entry {
    Health health;
    int open;
    long served;
    boolean probing;

    Entry(Health initial) {
      this.health = initial;
    }
  }

  private final Map<InetSocketAddress, Entry> entries = new LinkedHashMap<>();
  private long turn;

  /**
   * Keeps the entries of backends still present, adds new ones as {@link Health#ALIVE} (usable
   * as a last resort until their first probe, which follows at once) and drops the rest.
   */
  void setBackends(Set<InetSocketAddress> backends) {
    entries.keySet().retainAll(backends);
    for (InetSocketAddress b : backends) {
      entries.computeIfAbsent(b, k -> new Entry(Health.ALIVE));
    }
  }

  Map<InetSocketAddress, Entry> entries() {
    return entries;
  }

  Optional<InetSocketAddress> pick(Set<InetSocketAddress> exclude) {
    Optional<InetSocketAddress> ready = leastOpen(Health.READY, exclude);
    return ready.isPresent() ? ready : leastOpen(Health.ALIVE, exclude);
  }

  private Optional<InetSocketAddress> leastOpen(Health wanted, Set<InetSocketAddress> exclude) {
    InetSocketAddress best = null;
    int bestOpen = Integer.MAX_VALUE;
    int n = entries.size();
    var keys = entries.keySet().toArray(new InetSocketAddress[0]);
    // Start the scan at a rotating offset so that equal backends take turns.
    for (int i = 0; i < n; i++) {
      InetSocketAddress key = keys[(int) ((turn + i) % n)];
      Entry e = entries.get(key);
      if (e.health == wanted && !exclude.contains(key) && e.open < bestOpen) {
        best = key;
        bestOpen = e.open;
      }
    }
    if (best != null) {
      turn++;
    }
    return Optional.ofNullable(best);
  }

  void opened(InetSocketAddress backend) {
    Entry e = entries.get(backend);
    if (e != null) {
      e.open++;
      e.served++;
    }
  }

  void closed(InetSocketAddress backend) {
    Entry e = entries.get(backend);
    if (e != null && e.open > 0) {
      e.open--;
    }
  }

  void health(InetSocketAddress backend, Health health) {
    Entry e = entries.get(backend);
    if (e != null) {
      e.health = health;
    }
  }
}
