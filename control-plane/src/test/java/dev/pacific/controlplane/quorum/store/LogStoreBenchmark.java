package dev.pacific.controlplane.quorum.store;

import dev.pacific.controlplane.quorum.raft.Entry;
import dev.pacific.controlplane.quorum.raft.HardState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Group commit, measured: entries per second through {@link LogStore#save}
 * (and puts per second through {@link KvStore#applyBatch})
 * with 1 and with 64 entries per synced write (one fsync each). Prints, never
 * asserts; skipped unless {@code pacific.bench} is set, so CI does not pay for it. Run with
 * {@code mvn -q -pl control-plane -am test -Dtest=LogStoreBenchmark -Dpacific.bench=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("benchmark")
class LogStoreBenchmark {

  private static final long MILLIS = Long.getLong("pacific.bench.millis", 3_000);

  @Test
  void entriesPerSecondWithOneAndSixtyFourEntriesPerFsync() {
    Assumptions.assumeTrue(Boolean.getBoolean("pacific.bench"), "set -Dpacific.bench=true to run");
    for (int perSave : new int[] {1, 64}) {
      Path dir = TempDirs.create("bench");
      try (LogStore log = LogStore.open(dir.resolve("raft"))) {
        double rate = run(log, perSave);
        System.out.printf("LogStore.save: %d entries/fsync, 256-byte entries: %.0f entries/s%n", perSave, rate);
      } finally {
        TempDirs.delete(dir);
      }
    }
  }

  @Test
  void keyValuePutsPerSecondWithOneAndSixtyFourEntriesPerApply() {
    Assumptions.assumeTrue(Boolean.getBoolean("pacific.bench"), "set -Dpacific.bench=true to run");
    for (int perApply : new int[] {1, 64}) {
      Path dir = TempDirs.create("bench");
      try (KvStore kv = KvStore.open(dir.resolve("kv"), KvSettings.DEFAULT)) {
        double rate = apply(kv, perApply);
        System.out.printf("KvStore.applyBatch: %d puts/fsync, 256-byte values, 16 clients: %.0f puts/s%n",
            perApply, rate);
      } finally {
        TempDirs.delete(dir);
      }
    }
  }

  private static double apply(KvStore kv, int perApply) {
    long next = 1;
    long start = System.nanoTime();
    long deadline = start + MILLIS * 1_000_000;
    while (System.nanoTime() < deadline) {
      List<Entry> batch = new ArrayList<>(perApply);
      for (int i = 0; i < perApply; i++, next++) {
        KvCommand put = new KvCommand.Put(("registry/pods/ns/p" + next % 1000).getBytes(), new byte[256]);
        batch.add(new Entry(1, next, KvCodec.encode(new Request(1 + next % 16, 1 + next / 16, next, put))));
      }
      kv.applyBatch(batch);
    }
    return (next - 1) / ((System.nanoTime() - start) / 1e9);
  }

  private static double run(LogStore log, int perSave) {
    long next = 1;
    long start = System.nanoTime();
    long deadline = start + MILLIS * 1_000_000;
    while (System.nanoTime() < deadline) {
      List<Entry> batch = new ArrayList<>(perSave);
      for (int i = 0; i < perSave; i++, next++) {
        batch.add(new Entry(1, next, new byte[256]));
      }
      log.save(null, batch, new HardState(1, "cp-1", next - 1));
    }
    return (next - 1) / ((System.nanoTime() - start) / 1e9);
  }
}
