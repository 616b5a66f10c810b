package dev.pacific.host.podagent;

import java.time.Duration;

/**
 * Kubernetes' restart back-off for one container: the first termination restarts at once, the next
 * waits {@code initial} (10 s), each further one twice as long, up to {@code max} (5 min); a
 * container that ran {@code resetAfter} (10 min) before ending starts the sequence afresh. While a
 * container waits it is in {@code CrashLoopBackOff}.
 */
final class CrashBackOff {

  private final Duration initial;
  private final Duration max;
  private final Duration resetAfter;
  private Duration next = Duration.ZERO;

  CrashBackOff(Duration initial, Duration max, Duration resetAfter) {
    this.initial = initial;
    this.max = max;
    this.resetAfter = resetAfter;
  }

  /** The wait before the next start of a container that ended after running for {@code ran}. */
  Duration afterRunning(Duration ran) {
    if (ran.compareTo(resetAfter) >= 0) {
      next = Duration.ZERO;
    }
    Duration delay = next;
    next = delay.isZero() ? initial : min(delay.multipliedBy(2), max);
    return delay;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
