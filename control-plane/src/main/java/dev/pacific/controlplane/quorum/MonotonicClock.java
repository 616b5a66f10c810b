package dev.pacific.controlplane.quorum;

/**
 * The leader's clock for lease deadlines and compaction ages: monotonic, so a wall-clock step
 * never expires a lease early (etcd's lessor uses Go's monotonic time for the same reason).
 * Injected, so tests move time by hand.
 */
@FunctionalInterface
public interface MonotonicClock {

  MonotonicClock SYSTEM = System::nanoTime;

  long nanos();
}
