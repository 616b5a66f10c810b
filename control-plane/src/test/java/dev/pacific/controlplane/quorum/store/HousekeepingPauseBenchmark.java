package dev.pacific.controlplane.quorum.store;

import dev.pacific.controlplane.quorum.raft.Entry;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * How long the applying thread stops for the store's housekeeping at the size the kv benchmark leaves behind
 * (16,000 live keys of 256 bytes, 10,000 revisions of history kept): an automatic history compaction (every
 * 1,000 revisions, as the leader proposes them) and a snapshot image for log compaction. Every member does both
 * at the same log index, so the whole quorum pauses together. Prints, never asserts; {@code -Dpacific.bench=true}.
 */
class HousekeepingPauseBenchmark {

  @Test
  void compactionAndSnapshotPauses() {
    Assumptions.assumeTrue(Boolean.getBoolean("pacific.bench"), "set -Dpacific.bench=true to run");
    try (KvFixture f = new KvFixture()) {
      put(f, 27_000);
      for (int round = 0; round < 12; round++) {
        put(f, 1_000);
        long t0 = cpu();
        f.run(new KvCommand.Compact(f.store.revision() - 10_000));
        long t1 = cpu();
        if (round % 4 == 3) {
          byte[] image = f.store.snapshot();
          System.out.printf("round %d: history compaction %.1f ms CPU; snapshot image %.1f ms CPU (%d KiB)%n", round,
              (t1 - t0) / 1e6, (cpu() - t1) / 1e6, image.length / 1024);
        } else {
          System.out.printf("round %d: history compaction %.1f ms CPU%n", round, (t1 - t0) / 1e6);
        }
      }
    }
  }

  /** CPU time, not wall time: on a shared machine the wall clock mostly measures the other processes. */
  private static long cpu() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  private static void put(KvFixture f, int n) {
    List<Entry> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long r = f.store.revision() + i;
      batch.add(f.entry(0, 0, new KvCommand.Put(("bench-" + (r % 16) + "-" + (r / 16) % 1000).getBytes(),
          new byte[256])));
      if (batch.size() == 64) {
        f.store.applyBatch(batch);
        batch.clear();
      }
    }
    f.store.applyBatch(batch);
  }
}
