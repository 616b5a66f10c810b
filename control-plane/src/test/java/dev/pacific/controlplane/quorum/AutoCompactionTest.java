package dev.pacific.controlplane.quorum;

import static dev.pacific.controlplane.quorum.OneMemberQuorum.await;
import static dev.pacific.controlplane.quorum.OneMemberQuorum.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.controlplane.quorum.store.Compacted;
import dev.pacific.controlplane.quorum.store.KvStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * The leader compacts the history on its own, so a long write stream leaves disk and memory
 * bounded. Figures are printed; the bound asserted is the history kept, which is exact.
 */
class AutoCompactionTest {

  private static final int MAX_REVISIONS = 2_000;

  @Test
  void historyDiskAndMemoryStayBoundedUnderALongWriteStream() throws Exception {
    try (OneMemberQuorum q = new OneMemberQuorum(new FakeClock(), """
        pacific.quorum.auto-compaction.max-revisions = %d
        pacific.quorum.snapshot-every = 5000
        """.formatted(MAX_REVISIONS))) {
      KvStore store = storeOf(q);
      byte[] value = new byte[200];
      long started = System.nanoTime();
      List<Long> histories = new ArrayList<>();
      for (int round = 1; round <= 8; round++) {
        List<CompletionStage<QuorumKv.Outcome>> writes = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
          writes.add(q.kv.put(("stream/" + (i % 1_000)).getBytes(StandardCharsets.UTF_8), value, OptionalLong.empty()));
          if (writes.size() >= 64) {
            await(writes.remove(0));
          }
        }
        writes.forEach(OneMemberQuorum::await);
        assertTrue(eventually(Duration.ofSeconds(5), () -> store.revision() - store.compactedRevision()
            <= MAX_REVISIONS + MAX_REVISIONS / 10));
        long history = store.changesAfter(store.compactedRevision(), Integer.MAX_VALUE).size();
        histories.add(history);
        Runtime rt = Runtime.getRuntime();
        System.gc();
        System.out.printf("auto-compaction: %,d writes in %d s: revision %,d, compacted at %,d, %,d changes kept, "
                + "kv on disk %,d KiB, log on disk %,d KiB, heap used %,d MiB%n", round * 5_000,
            (System.nanoTime() - started) / 1_000_000_000, store.revision(), store.compactedRevision(), history,
            size(q.dir.resolve("quorum/kv")) / 1024, size(q.dir.resolve("quorum/log")) / 1024,
            (rt.totalMemory() - rt.freeMemory()) >> 20);
      }
      assertTrue(histories.stream().allMatch(h -> h <= MAX_REVISIONS + MAX_REVISIONS / 10 + 1_000), histories.toString());
      Compacted e = Assertions.assertThrows(Compacted.class, () -> store.changesAfter(1, 10));
      assertEquals(store.compactedRevision(), e.compactedRevision());
    }
  }

  /** The store behind the one member (tests may read it; the member only writes between batches). */
  private static KvStore storeOf(OneMemberQuorum q) {
    return q.storage.kvStore();
  }

  private static long size(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
