package dev.pacific.controlplane.quorum;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * After leaders are stopped and restarted under writes, an idle quorum must converge: every
 * member applies the same state. Rounds alternate killing the leader and a follower.
 */
@Tag("stress")
class QuorumConvergenceStressTest {

  @Test
  void membersConvergeAfterRestartsUnderWrites() throws Exception {
    try (TestQuorum q = new TestQuorum(40).startAll()) {
      for (int round = 0; round < Integer.getInteger("stress.rounds", 4); round++) {
        String leader = q.awaitLeader(Duration.ofSeconds(20));
        String victim = round % 2 == 0 ? leader
            : TestQuorum.NAMES.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
        String via = TestQuorum.NAMES.stream().filter(n -> !n.equals(victim)).findFirst().orElseThrow();
        List<CompletableFuture<?>> writes = new ArrayList<>();
        QuorumClient client = q.client(via);
        for (int i = 0; i < 60; i++) {
          writes.add(client.propose(MemoryKv.put("k" + (i % 7), new byte[] {(byte) i})).toCompletableFuture());
          if (i == 20) {
            TestQuorum.Member m = q.member(victim);
            q.stop(victim);
            Thread.sleep(300);
            q.start(victim, m.log(), m.kv());
          }
        }
        CompletableFuture.allOf(writes.toArray(new CompletableFuture[0])).join();
        long t0 = System.nanoTime();
        String hash = q.awaitSameState(Duration.ofSeconds(15));
        System.out.printf("stress round %d (stopped %s): converged in %d ms, %s%n", round, victim,
            (System.nanoTime() - t0) / 1_000_000, hash.substring(0, 12));
      }
    }
  }
}
