package dev.pacific.controlplane.quorum;

import java.util.ArrayDeque;
import java.util.OptionalLong;

/**
 * When the leader should compact the history, after etcd's revision and periodic compactors: by
 * count, once more than {@code maxRevisions} × 1.1 revisions are kept, down to
 * {@code maxRevisions}; by age, to the revision that was current {@code maxAge} ago, sampled every
 * tenth of it. Samples live in the leader's memory and start again on each new leader, as etcd's
 * compactor pauses on followers.
 */
final class AutoCompactor {

  private record Sample(long nanos, long revision) {}

  private final Housekeeping settings;
  private final MonotonicClock clock;
  private final ArrayDeque<Sample> samples = new ArrayDeque<>();
  private long proposed;
  private long proposedAt;

  AutoCompactor(Housekeeping settings, MonotonicClock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  void reset() {
    samples.clear();
    proposed = 0;
  }

  /** The revision to compact at now, if any, given the store's revision and compacted revision. */
  OptionalLong due(long revision, long compacted) {
    if (!settings.autoCompact()) {
      return OptionalLong.empty();
    }
    long now = clock.nanos();
    long target = Math.max(byAge(now, revision), byCount(revision, compacted));
    boolean pending = proposed > compacted && now - proposedAt < settings.retry().toNanos();
    if (target <= compacted || pending) {
      return OptionalLong.empty();
    }
    proposed = target;
    proposedAt = now;
    return OptionalLong.of(target);
  }

  private long byCount(long revision, long compacted) {
    long max = settings.maxRevisions();
    return revision - compacted > max + max / 10 ? revision - max : 0;
  }

  private long byAge(long now, long revision) {
    long age = settings.maxAge().toNanos();
    if (samples.isEmpty() || now - samples.peekLast().nanos() >= age / 10) {
      samples.addLast(new Sample(now, revision));
    }
    Sample oldest = null;
    while (!samples.isEmpty() && now - samples.peekFirst().nanos() >= age) {
      oldest = samples.pollFirst(); // the newest sample at least maxAge old wins
    }
    if (oldest != null) {
      samples.addFirst(oldest); // keep it: the next tick may still compact at it
      return oldest.revision();
    }
    return 0;
  }
}
