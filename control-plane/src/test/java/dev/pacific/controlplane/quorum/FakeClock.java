package dev.pacific.controlplane.quorum;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A monotonic clock tests move by hand: lease deadlines and compaction ages pass only when told. */
final class FakeClock implements MonotonicClock {

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  @Override
  public long nanos() {
    return nanos.get();
  }

  void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }
}
