package dev.pacific.controlplane.quorum;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Members over LevelDB, compacting every 20 entries, converge after leaders and followers are stopped
 * and restarted under writes: the restart path the in-memory stress test does not take (the key-value
 * store restarts at its own applied index, the log from its snapshot, a lagging member by
 * InstallSnapshot).
 */
@Tag("stress")
class LevelDbConvergenceStressTest {

  @Test
  void membersConvergeAfterRestartsUnderWrites() throws Exception {
    try (TestQuorum q = TestQuorum.onLevelDb(MonotonicClock.SYSTEM, "", 20).startAll()) {
      for (int round = 0; round < Integer.getInteger("stress.rounds", 4); round++) {
        String leader = q.awaitLeader(Duration.ofSeconds(20));
        String victim = round % 2 == 0 ? leader
            : TestQuorum.NAMES.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
        String via = TestQuorum.NAMES.stream().filter(n -> !n.equals(victim)).findFirst().orElseThrow();
        List<CompletableFuture<?>> writes = new ArrayList<>();
        QuorumKv kv = q.kv(via);
        for (int i = 0; i < 200; i++) {
          writes.add(kv.put(("k" + (i % 7)).getBytes(StandardCharsets.UTF_8), new byte[] {(byte) i},
              OptionalLong.empty()).toCompletableFuture());
          if (i == 20) {
            q.stop(victim);
          }
          if (i == 150) {
            q.startOnLevelDb(victim);
          }
          Thread.sleep(2);
        }
        CompletableFuture.allOf(writes.toArray(new CompletableFuture[0])).exceptionally(t -> null).join();
        long t0 = System.nanoTime();
        String hash = q.awaitSameState(Duration.ofSeconds(20));
        System.out.printf("leveldb stress round %d (stopped %s): converged in %d ms, %s%n", round, victim,
            (System.nanoTime() - t0) / 1_000_000, hash.substring(0, 12));
      }
    }
  }
}
