package dev.pacific.host.spherelet;

import dev.pacific.host.runtime.Watchdog;
import java.time.Duration;

/**
 * The host's own view of its lease: how long its pods may still run. Each answered renewal
 * extends it to the TTL counted from when the renewal was <em>sent</em> (the quorum renews it
 * later than that, never earlier), less a margin; past that the pods must be gone. The
 * {@link Watchdog} (process runtime) gets the same deadline, so the pods die on time even when
 * this JVM is paused and no actor runs.
 */
final class LeaseFence {

  private final Watchdog watchdog;

  /** @param watchdog the process runtime's watchdog, or null for the simulated runtime */
  LeaseFence(Watchdog watchdog) {
    this.watchdog = watchdog;
  }

  /**
   * How long the pods may run after a renewal valid for {@code ttl}, sent at {@code sentNanos},
   * answered at {@code nowNanos}; zero or less means the answer came too late to count.
   */
  static Duration validFor(Duration ttl, double margin, long sentNanos, long nowNanos) {
    long keep = (long) (ttl.toNanos() * (1 - margin));
    return Duration.ofNanos(keep - (nowNanos - sentNanos));
  }

  /** When to renew next: a fraction of the TTL after the last renewal was sent. */
  static Duration renewAfter(Duration ttl, double fraction, long sentNanos, long nowNanos) {
    long due = (long) (ttl.toNanos() * fraction) - (nowNanos - sentNanos);
    return Duration.ofNanos(Math.max(0, due));
  }

  void holdFor(Duration validFor) {
    if (watchdog != null) {
      watchdog.leaseValidFor(validFor);
    }
  }

  /** The lease is gone: the watchdog kills every pod process at once and no pod may start. */
  void drop() {
    if (watchdog != null) {
      watchdog.leaseValidFor(Duration.ZERO);
    }
  }
}
