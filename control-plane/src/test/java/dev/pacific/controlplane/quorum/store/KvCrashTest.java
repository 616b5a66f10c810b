package dev.pacific.controlplane.quorum.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.controlplane.quorum.raft.Entry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A member SIGKILLed while applying keeps every batch it finished (the MVCC
 * changes, applied index and sessions in one WriteBatch), and replaying the
 * log from its applied index reaches the same state hash as a member that
 * never crashed: no entry applied twice, none lost.
 */
class KvCrashTest {

  private static final long SEED = 11;
  private static final int ENTRIES = 20_000;

  @Test
  void aKilledStoreReplaysToTheSameStateHashAsOneThatNeverCrashed() throws Exception {
    Path root = TempDirs.create("kv-crash");
    try {
      Path crashed = root.resolve("crashed");
      long acked = KilledChild.runAndKill(KvApplier.class, 300, crashed.toString(), Long.toString(SEED),
          Integer.toString(ENTRIES));
      List<Entry> log = KvApplier.log(SEED, ENTRIES);
      String crashedHash;
      try (KvStore kv = KvStore.open(crashed, KvSettings.DEFAULT)) {
        long recovered = kv.appliedIndex();
        assertTrue(recovered >= acked, "acknowledged " + acked + ", recovered " + recovered);
        kv.applyBatch(log);
        crashedHash = kv.stateHash();
        System.out.println("kv-crash: acknowledged " + acked + ", recovered " + recovered + ", replayed the rest");
      }
      try (KvStore kv = KvStore.open(root.resolve("steady"), KvSettings.DEFAULT)) {
        kv.applyBatch(log);
        assertEquals(kv.stateHash(), crashedHash);
        assertEquals(ENTRIES, kv.appliedIndex());
      }
    } finally {
      TempDirs.delete(root);
    }
  }
}
